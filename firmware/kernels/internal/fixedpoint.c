#include "fixedpoint.h"

#include "quant.h"

int32_t tfm_fp_mul_pot(int32_t x, int exponent) {
  if (exponent < 0) return tfm_rounding_divide_by_pot(x, -exponent);
  if (exponent == 0) return x;
  const int32_t threshold = (int32_t)((1u << (31 - exponent)) - 1u);
  if (x > threshold) return INT32_MAX;
  if (x < -threshold) return INT32_MIN;
  return (int32_t)((uint32_t)x << exponent);
}

int32_t tfm_fp_rounding_half_sum(int32_t a, int32_t b) {
  const int64_t sum = (int64_t)a + (int64_t)b;
  const int64_t sign = sum >= 0 ? 1 : -1;
  return (int32_t)((sum + sign) / 2);
}

/* Raw int32 add: gemmlowp adds raw values without saturation. */
static int32_t wrap_add(int32_t a, int32_t b) { return (int32_t)((uint32_t)a + (uint32_t)b); }
static int32_t wrap_sub(int32_t a, int32_t b) { return (int32_t)((uint32_t)a - (uint32_t)b); }
#define FP_MUL tfm_saturating_rounding_doubling_high_mul

/* exp(a) for a in [-1/4, 0), Q0 in and out: Taylor series around -1/8. */
static int32_t exp_on_quarter_interval(int32_t a) {
  const int32_t constant_term = 1895147668;  /* exp(-1/8) */
  const int32_t constant_1_over_3 = 715827883;
  const int32_t x = wrap_add(a, 1 << 28);    /* a + 1/8 */
  const int32_t x2 = FP_MUL(x, x);
  const int32_t x3 = FP_MUL(x2, x);
  const int32_t x4 = FP_MUL(x2, x2);
  const int32_t x4_over_4 = tfm_fp_mul_pot(x4, -2);
  const int32_t poly =
      tfm_fp_mul_pot(wrap_add(FP_MUL(wrap_add(x4_over_4, x3), constant_1_over_3), x2), -1);
  return wrap_add(constant_term, FP_MUL(constant_term, wrap_add(x, poly)));
}

int32_t tfm_fp_exp_on_negative_values(int32_t a, int integer_bits) {
  /* exp(-2^k) in Q0 for k = -2 .. 4 (gemmlowp's barrel-shifter constants). */
  static const int32_t kMultipliers[7] = {1672461947, 1302514674, 790015084, 290630308,
                                          39332535,   720401,     242};
  const int fractional_bits = 31 - integer_bits;
  const int32_t one_quarter = (int32_t)1 << (fractional_bits - 2);
  const int32_t mask = one_quarter - 1;
  const int32_t a_mod_quarter_minus_quarter = wrap_sub(a & mask, one_quarter);
  int32_t result = exp_on_quarter_interval(tfm_fp_mul_pot(a_mod_quarter_minus_quarter, integer_bits));
  const int32_t remainder = wrap_sub(a_mod_quarter_minus_quarter, a);
  for (int exponent = -2; exponent <= 4; ++exponent) {
    if (integer_bits > exponent) {
      const int shift = fractional_bits + exponent;
      if (remainder & ((int32_t)1 << shift)) result = FP_MUL(result, kMultipliers[exponent + 2]);
    }
  }
  if (integer_bits > 5) {
    const int32_t clamp = -((int32_t)1 << (36 - integer_bits)); /* -32.0 */
    if (a < clamp) result = 0;
  }
  if (a == 0) result = INT32_MAX;
  return result;
}

int32_t tfm_fp_one_over_one_plus_x(int32_t a) {
  /* Newton-Raphson on half_denominator = (1 + a) / 2, iterate in Q2. */
  const int32_t half_denominator = tfm_fp_rounding_half_sum(a, INT32_MAX);
  const int32_t constant_48_over_17 = 1515870810;
  const int32_t constant_neg_32_over_17 = -1010580540;
  const int32_t q2_one = 1 << 29;
  int32_t x = wrap_add(constant_48_over_17, FP_MUL(half_denominator, constant_neg_32_over_17));
  for (int i = 0; i < 3; ++i) {
    const int32_t half_denominator_times_x = FP_MUL(half_denominator, x);
    const int32_t one_minus = wrap_sub(q2_one, half_denominator_times_x);
    x = wrap_add(x, tfm_fp_mul_pot(FP_MUL(x, one_minus), 2));
  }
  /* x / 2 in Q1 has x's raw value; rescale Q1 -> Q0. */
  return tfm_fp_mul_pot(x, 1);
}

int tfm_clz32(uint32_t x) {
  if (x == 0) return 32;
  int n = 0;
  while (!(x & 0x80000000u)) {
    x <<= 1;
    ++n;
  }
  return n;
}

int32_t tfm_fp_reciprocal(int32_t x, int x_integer_digits, int *num_bits_over_unit) {
  const int headroom_plus_one = tfm_clz32((uint32_t)x);
  *num_bits_over_unit = x_integer_digits - headroom_plus_one;
  const int32_t shifted_sum_minus_one =
      (int32_t)(((uint32_t)x << headroom_plus_one) - (1u << 31));
  return tfm_fp_one_over_one_plus_x(shifted_sum_minus_one);
}

/* ---- float helpers ---------------------------------------------------- */

static double ldexp_int(double x, int e) {
  while (e > 0) {
    const int step = e > 60 ? 60 : e;
    x *= (double)(1ULL << step);
    e -= step;
  }
  while (e < 0) {
    const int step = -e > 60 ? 60 : -e;
    x /= (double)(1ULL << step);
    e += step;
  }
  return x;
}

/* expm1 by Taylor series for |y| <= 1 (terms to y^17/17!: error < 1e-15). */
static double expm1_small(double y) {
  double term = y, sum = y;
  for (int n = 2; n < 18; ++n) {
    term *= y / n;
    sum += term;
  }
  return sum;
}

double tfm_exp(double x) {
  if (x != x) return x;
  if (x > 709.78) return 1.0 / 0.0;
  if (x < -745.2) return 0.0;
  const double ln2 = 0.69314718055994530942;
  const double k_real = tfm_round(x / ln2);
  const int k = (int)k_real;
  /* r = x - k*ln2 in two parts for accuracy (Cody-Waite). */
  const double ln2_hi = 6.93147180369123816490e-01;
  const double ln2_lo = 1.90821492927058770002e-10;
  const double r = (x - k_real * ln2_hi) - k_real * ln2_lo;
  return ldexp_int(1.0 + expm1_small(r), k);
}

float tfm_expf(float x) { return (float)tfm_exp((double)x); }

float tfm_tanhf(float x) {
  const double ax = x < 0 ? -(double)x : (double)x;
  double t;
  if (ax > 20.0) {
    t = 1.0;
  } else {
    const double y = -2.0 * ax;
    const double em1 = y >= -1.0 ? expm1_small(y) : tfm_exp(y) - 1.0;
    t = -em1 / (2.0 + em1);
  }
  return (float)(x < 0 ? -t : t);
}

int tfm_checked_log2(float x, int *log2_result) {
  if (!(x > 0.0f)) {
    *log2_result = 0;
    return 0;
  }
  double m = x;
  int e = 0;
  while (m >= 2.0) { m *= 0.5; ++e; }
  while (m < 1.0) { m *= 2.0; --e; }
  /* log2(m) in [0, 1): round to the nearer integer. */
  if (m >= 1.4142135623730951) {
    *log2_result = e + 1;
    return m > 1.9986140400;  /* 2^(1 - 1e-3) */
  }
  *log2_result = e;
  return m < 1.0006933874;    /* 2^(1e-3) */
}

void tfm_lut_populate_i8(float in_scale, int32_t in_zp, float out_scale, int32_t out_zp,
                         float (*fn)(float), int8_t *table) {
  const float inverse_scale = 1.0f / out_scale;
  for (int32_t val = -128; val <= 127; ++val) {
    const float dequantized = in_scale * (float)(val - in_zp);
    const float rescaled = tfm_roundf(fn(dequantized) * inverse_scale);
    const int32_t quantized = tfm_saturate_f32_i32(rescaled + (float)out_zp);
    table[(uint8_t)(int8_t)val] = (int8_t)tfm_clamp_i32(quantized, -128, 127);
  }
}
