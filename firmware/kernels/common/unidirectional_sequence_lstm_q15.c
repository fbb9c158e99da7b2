/* The int16 arithmetic of TFLite's integer LSTM; see the header. gemmlowp's
 * FixedPoint<int16_t, N>: raw int16 values with 15 - N fractional bits. Its
 * constants are the int32 ones rounded by 2^16 (RescaleConstantInitializer),
 * its plain + and - wrap in 16 bits and its products are the 16-bit
 * SaturatingRoundingDoublingHighMul. The wrapping is spelled out because
 * out-of-range conversions to int16_t are implementation-defined in C99. */
#include "common/unidirectional_sequence_lstm_q15.h"

#include "internal/inv_sqrt.h"
#include "internal/quant.h"

/* v modulo 2^16 as int16. */
static int16_t w16(int32_t v) {
  const int32_t low = (int32_t)((uint32_t)v & 0xffffu);
  return (int16_t)(low >= 0x8000 ? low - 0x10000 : low);
}

static int16_t sat16(int32_t v) {
  return (int16_t)(v > INT16_MAX ? INT16_MAX : (v < INT16_MIN ? INT16_MIN : v));
}

/* A gemmlowp int32 constant as the int16 FixedPoint constant of the same value. */
static int16_t k16(int32_t int32_value) { return (int16_t)tfm_rounding_divide_by_pot(int32_value, 16); }

static int16_t srdhm16(int16_t a, int16_t b) {
  if (a == INT16_MIN && b == INT16_MIN) return INT16_MAX;
  const int32_t ab = (int32_t)a * (int32_t)b;
  const int32_t nudge = ab >= 0 ? (1 << 14) : (1 - (1 << 14));
  return (int16_t)((ab + nudge) / (1 << 15));
}

static int16_t rdbp16(int16_t x, int exponent) {
  const int32_t mask = (1 << exponent) - 1;
  const int32_t remainder = x & mask;
  const int32_t threshold = (mask >> 1) + (x < 0 ? 1 : 0);
  return (int16_t)((x >> exponent) + (remainder > threshold ? 1 : 0));
}

/* SaturatingRoundingMultiplyByPOT<exponent> for exponent > 0. */
static int16_t sat_shl16(int16_t x, int exponent) {
  const int32_t threshold = (1 << (15 - exponent)) - 1;
  if (x > threshold) return INT16_MAX;
  if (x < -threshold) return INT16_MIN;
  return (int16_t)(x * (1 << exponent));
}

static int16_t rounding_half_sum16(int16_t a, int16_t b) {
  const int32_t sum = (int32_t)a + (int32_t)b;
  return (int16_t)((sum + (sum >= 0 ? 1 : -1)) / 2);
}

/* exp(a) for a in [-1/4, 0), Q0 in and out (a Taylor series around -1/8). */
static int16_t exp_quarter16(int16_t a) {
  const int16_t constant_term = k16(1895147668), one_third = k16(715827883);
  const int16_t x = w16(a + (1 << 12));
  const int16_t x2 = srdhm16(x, x), x3 = srdhm16(x2, x), x4 = srdhm16(x2, x2);
  const int16_t x4_over_4 = rdbp16(x4, 2);
  const int16_t poly = rdbp16(w16(srdhm16(w16(x4_over_4 + x3), one_third) + x2), 1);
  return sat16((int32_t)constant_term + srdhm16(constant_term, w16(x + poly)));
}

/* gemmlowp exp_on_negative_values for a Q(integer_bits) input; Q0 result. */
static int16_t exp_negative16(int16_t a, int integer_bits) {
  static const int32_t multipliers[7] = {1672461947, 1302514674, 790015084, 290630308,
                                         39332535, 720401, 242}; /* exp(-2^e), e = -2..4 */
  const int frac = 15 - integer_bits;
  const int16_t quarter = (int16_t)(1 << (frac - 2));
  const int16_t a_mod = w16((a & (quarter - 1)) - quarter);
  int16_t result = exp_quarter16(integer_bits ? sat_shl16(a_mod, integer_bits) : a_mod);
  const int16_t remainder = w16(a_mod - a);
  for (int e = -2; e <= 4; ++e) {
    if (integer_bits > e && (remainder & (1 << (frac + e)))) {
      result = srdhm16(result, k16(multipliers[e + 2]));
    }
  }
  if (integer_bits > 5 && a < k16(-(1 << (36 - integer_bits)))) result = 0;
  return a == 0 ? INT16_MAX : result;
}

/* Newton-Raphson 1 / (1 + a) (scaled by 1/2) for a Q0 a in [0, 1): Q2 result. */
static int16_t half_reciprocal16(int16_t a) {
  const int16_t half_denominator = rounding_half_sum16(a, INT16_MAX);
  int16_t x = w16(k16(1515870810) + srdhm16(half_denominator, k16(-1010580540)));
  for (int i = 0; i < 3; ++i) {
    const int16_t one_minus = w16((1 << 13) - srdhm16(half_denominator, x));
    x = w16(x + sat_shl16(srdhm16(x, one_minus), 2));
  }
  return x;
}

static int16_t logistic16(int16_t a) {
  const int16_t abs_a = a > 0 ? a : w16(-(int32_t)a);
  const int16_t positive = sat_shl16(half_reciprocal16(exp_negative16(w16(-(int32_t)abs_a), 3)), 1);
  if (a == 0) return 1 << 14;
  return a > 0 ? positive : w16(INT16_MAX - positive);
}

static int16_t tanh16(int16_t a, int integer_bits) {
  const int16_t n = a < 0 ? a : w16(-(int32_t)a);
  /* (1 - e) / (1 + e) with e = exp(2n): ExactMulByPot<1> reinterprets the raw value. */
  const int16_t t = sat_shl16(w16(half_reciprocal16(exp_negative16(n, integer_bits + 1)) -
                                  (1 << 13)), 2);
  if (a == 0) return 0;
  return a < 0 ? w16(-(int32_t)t) : t;
}

void tfm_lstm_q15_sigmoid(int16_t *v, int32_t n) {
  for (int32_t k = 0; k < n; ++k) v[k] = logistic16(v[k]);
}

void tfm_lstm_q15_tanh(int integer_bits, const int16_t *in, int32_t n, int16_t *out) {
  for (int32_t k = 0; k < n; ++k) out[k] = tanh16(in[k], integer_bits);
}

void tfm_lstm_q15_matmul_acc(const int8_t *x, const int32_t *bias, const int8_t *w,
                             int32_t multiplier, int shift, int32_t batch, int32_t cols,
                             int32_t rows, int32_t zp, int16_t *out16, int8_t *out8) {
  const int32_t lo = out16 ? INT16_MIN : INT8_MIN, hi = out16 ? INT16_MAX : INT8_MAX;
  for (int32_t b = 0; b < batch; ++b) {
    for (int32_t r = 0; r < rows; ++r) {
      uint32_t acc = (uint32_t)bias[r];
      for (int32_t k = 0; k < cols; ++k) {
        acc += (uint32_t)((int32_t)x[(size_t)b * cols + k] * (int32_t)w[(size_t)r * cols + k]);
      }
      const size_t o = (size_t)b * rows + r;
      int32_t v = tfm_multiply_by_quantized_multiplier(tfm_wrap_i32(acc), multiplier, shift);
      v += zp + (out16 ? out16[o] : out8[o]);
      v = tfm_clamp_i32(v, lo, hi);
      if (out16) {
        out16[o] = (int16_t)v;
      } else {
        out8[o] = (int8_t)v;
      }
    }
  }
}

void tfm_lstm_q15_peephole_acc(const int16_t *w, int32_t size, const int16_t *c, int32_t batch,
                               int32_t multiplier, int shift, int16_t *result) {
  for (int32_t b = 0; b < batch; ++b) {
    for (int32_t k = 0; k < size; ++k) {
      const size_t i = (size_t)b * size + k;
      const int32_t prod = tfm_multiply_by_quantized_multiplier((int32_t)w[k] * c[i], multiplier,
                                                                shift);
      result[i] = sat16(prod + result[i]);
    }
  }
}

void tfm_lstm_q15_layer_norm(int16_t *v, const int16_t *coeff, const int32_t *bias,
                             int32_t scale_a, int scale_b, int32_t variance_guard,
                             int32_t batch, int32_t n) {
  for (int32_t b = 0; b < batch; ++b) {
    int16_t *row = v + (size_t)b * n;
    int64_t sum = 0, sum_sq = 0;
    for (int32_t k = 0; k < n; ++k) {
      sum += row[k];
      sum_sq += (int32_t)row[k] * row[k];
    }
    const int32_t mean = (int32_t)(sum * 1024 / n);
    const int64_t variance = sum_sq * ((1 << 20) / n) - (int64_t)mean * mean;
    int32_t variance2 = (int32_t)(variance / (1 << 20));
    if (variance2 < 1) variance2 = variance_guard;
    int32_t inv_a;
    int inv_b;
    tfm_inv_sqrt_quantized_multiplier_exp(variance2, -1, &inv_a, &inv_b);
    for (int32_t k = 0; k < n; ++k) {
      const int32_t rescaled = tfm_multiply_by_quantized_multiplier(1024 * row[k] - mean, inv_a,
                                                                    inv_b);
      /* int32 product and sum, as TFLite computes them before widening */
      const int64_t val3 = tfm_wrap_i32((uint32_t)rescaled * (uint32_t)(int32_t)coeff[k] +
                                        (uint32_t)bias[k]);
      const int32_t val4 = (int32_t)((val3 > 0 ? val3 + 512 : val3 - 512) / 1024);
      row[k] = sat16(tfm_multiply_by_quantized_multiplier(val4, scale_a, scale_b + 12));
    }
  }
}

void tfm_lstm_q15_mul_shift(const int16_t *a, const int16_t *b, int32_t n, int shift,
                            int16_t *out) {
  for (int32_t k = 0; k < n; ++k) {
    out[k] = w16(tfm_rounding_divide_by_pot((int32_t)a[k] * b[k], shift));
  }
}

void tfm_lstm_q15_mul_rescale(const int16_t *a, const int16_t *b, int32_t n,
                              int32_t multiplier, int shift, int32_t zp, int8_t *out) {
  for (int32_t k = 0; k < n; ++k) {
    const int32_t v = tfm_multiply_by_quantized_multiplier((int32_t)a[k] * b[k], multiplier,
                                                           shift) + zp;
    out[k] = (int8_t)tfm_clamp_i32(v, INT8_MIN, INT8_MAX);
  }
}
