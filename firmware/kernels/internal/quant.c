#include "quant.h"

#include <float.h>
#include <string.h>

float tfm_roundf(float x) {
  /* Values this large are already integers; also avoids int overflow. */
  if (x >= 8388608.0f || x <= -8388608.0f) return x;
  int32_t i = (int32_t)x; /* truncates toward zero */
  float frac = x - (float)i;
  if (frac >= 0.5f) return (float)(i + 1);
  if (frac <= -0.5f) return (float)(i - 1);
  return (float)i;
}

double tfm_round(double x) {
  if (x >= 4503599627370496.0 || x <= -4503599627370496.0) return x;
  int64_t i = (int64_t)x;
  double frac = x - (double)i;
  if (frac >= 0.5) return (double)(i + 1);
  if (frac <= -0.5) return (double)(i - 1);
  return (double)i;
}

/* frexp without libm: real = q * 2^exp with |q| in [0.5, 1). Reads the
 * IEEE-754 exponent bits directly: a loop of double multiplies costs
 * thousands of soft-float instructions per channel on cores without a
 * double-precision FPU, and init multiplies that by every channel. */
static double split_exponent(double real, int *exp) {
  uint64_t bits;
  int bias_adjust = 0;
  memcpy(&bits, &real, sizeof bits);
  if (((bits >> 52) & 0x7FF) == 0) { /* subnormal: scale into the normal range */
    real *= 18014398509481984.0;     /* 2^54 */
    bias_adjust = 54;
    memcpy(&bits, &real, sizeof bits);
  }
  *exp = (int)((bits >> 52) & 0x7FF) - 1022 - bias_adjust;
  bits = (bits & ~((uint64_t)0x7FF << 52)) | ((uint64_t)1022 << 52);
  double q;
  memcpy(&q, &bits, sizeof q);
  return q;
}

void tfm_quantize_multiplier(double real, int32_t *multiplier, int *shift) {
  if (real == 0.0) {
    *multiplier = 0;
    *shift = 0;
    return;
  }
  double q = split_exponent(real, shift);
  int64_t q_fixed = (int64_t)tfm_round(q * (double)(1LL << 31));
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
  const int64_t round = (int64_t)1 << (total_shift - 1);
  int64_t result = x * (int64_t)reduced + round;
  result = result >> total_shift;
  return (int32_t)result;
}

static int32_t quantize_value(float f, float scale, int32_t zero_point) {
  return zero_point + (int32_t)tfm_roundf(f / scale);
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
