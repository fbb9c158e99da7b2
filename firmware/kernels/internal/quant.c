#include "quant.h"

#include <float.h>
#include <stdbool.h>
#include <string.h>

float tfm_roundf(float x) {
  /* Values this large are already integers; also avoids int overflow (and
   * NaN, which must not reach the int conversion). */
  if (!(x > -8388608.0f && x < 8388608.0f)) return x;
  int32_t i = (int32_t)x; /* truncates toward zero */
  float frac = x - (float)i;
  if (frac >= 0.5f) return (float)(i + 1);
  if (frac <= -0.5f) return (float)(i - 1);
  return (float)i;
}

double tfm_round(double x) {
  if (!(x > -4503599627370496.0 && x < 4503599627370496.0)) return x; /* and NaN */
  int64_t i = (int64_t)x;
  double frac = x - (double)i;
  if (frac >= 0.5) return (double)(i + 1);
  if (frac <= -0.5) return (double)(i - 1);
  return (double)i;
}

/* QuantizeMultiplier does frexp, then round(q * 2^31). Both are done here on
 * the IEEE-754 bits with integer arithmetic (exact, same result): on cores
 * without a double-precision FPU every soft-float operation costs about a
 * hundred instructions, and init runs this once per output channel. */
void tfm_quantize_multiplier(double real, int32_t *multiplier, int *shift) {
  if (real == 0.0) {
    *multiplier = 0;
    *shift = 0;
    return;
  }
  uint64_t bits;
  memcpy(&bits, &real, sizeof bits);
  const bool negative = (bits >> 63) != 0;
  int biased = (int)((bits >> 52) & 0x7FF);
  uint64_t mantissa = bits & (((uint64_t)1 << 52) - 1);
  if (biased == 0) {
    /* Subnormal: far below 2^-31, TFLite flushes it to a zero multiplier. */
    *multiplier = 0;
    *shift = 0;
    return;
  }
  mantissa |= (uint64_t)1 << 52;         /* real = mantissa * 2^(biased - 1075) */
  *shift = biased - 1022;                /* frexp exponent: q = mantissa * 2^-53 */
  /* q * 2^31 = mantissa * 2^-22: round half away from zero on the magnitude. */
  int64_t q_fixed = (int64_t)((mantissa + ((uint64_t)1 << 21)) >> 22);
  if (negative) q_fixed = -q_fixed;
  if (q_fixed == (1LL << 31)) {
    q_fixed /= 2;
    ++*shift;
  }
  if (*shift < -31) {
    *shift = 0;
    q_fixed = 0;
  }
  if (*shift > 30) {
    *shift = 30;
    q_fixed = (1LL << 31) - 1;
  }
  *multiplier = (int32_t)q_fixed;
}

int32_t tfm_multiply_by_quantized_multiplier_64(int64_t x, int32_t multiplier, int shift) {
  const int32_t reduced = multiplier < 0x7FFF0000 ? ((multiplier + (1 << 15)) >> 16) : 0x7FFF;
  const int total_shift = 15 - shift;
  const uint64_t product = (uint64_t)x * (uint64_t)(int64_t)reduced; /* wraps, see quant.h */
  if (total_shift <= 0) return tfm_wrap_i32((uint32_t)(product << -total_shift));
  const int64_t result = tfm_wrap_i64(product + ((uint64_t)1 << (total_shift - 1)));
  return tfm_wrap_i32((uint32_t)(uint64_t)(result >> total_shift));
}

static int32_t quantize_value(float f, float scale, int32_t zero_point) {
  return tfm_round_to_i32(f / scale, zero_point);
}

void tfm_activation_range_quantized(int activation, tfm_type type, float scale,
                                    int32_t zero_point, int32_t *act_min, int32_t *act_max) {
  int32_t qmin, qmax;
  switch (type) {
    case TFM_INT8: qmin = -128; qmax = 127; break;
    case TFM_UINT8: qmin = 0; qmax = 255; break;
    case TFM_INT16: qmin = -32768; qmax = 32767; break;
    default: qmin = INT32_MIN; qmax = INT32_MAX; break;
  }
  int32_t lo = qmin, hi = qmax;
  if (activation == TFM_ACT_RELU) {
    int32_t q0 = quantize_value(0.0f, scale, zero_point);
    lo = q0 > qmin ? q0 : qmin;
  } else if (activation == TFM_ACT_RELU6) {
    int32_t q0 = quantize_value(0.0f, scale, zero_point);
    int32_t q6 = quantize_value(6.0f, scale, zero_point);
    lo = q0 > qmin ? q0 : qmin;
    hi = q6 < qmax ? q6 : qmax;
  } else if (activation == TFM_ACT_RELU_N1_TO_1) {
    int32_t qn1 = quantize_value(-1.0f, scale, zero_point);
    int32_t q1 = quantize_value(1.0f, scale, zero_point);
    lo = qn1 > qmin ? qn1 : qmin;
    hi = q1 < qmax ? q1 : qmax;
  }
  *act_min = lo;
  *act_max = hi;
}

void tfm_activation_range_float(int activation, float *act_min, float *act_max) {
  switch (activation) {
    case TFM_ACT_RELU: *act_min = 0.0f; *act_max = FLT_MAX; break;
    case TFM_ACT_RELU6: *act_min = 0.0f; *act_max = 6.0f; break;
    case TFM_ACT_RELU_N1_TO_1: *act_min = -1.0f; *act_max = 1.0f; break;
    default: *act_min = -FLT_MAX; *act_max = FLT_MAX; break;
  }
}
