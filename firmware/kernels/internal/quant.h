/* TFLite's integer arithmetic, shared by every kernel.
 *
 * These reproduce tensorflow/lite/kernels/internal/common.h and
 * quantization_util.cc bit for bit, so int8/int16 kernels built on them are
 * bit-exact with TFLite's reference kernels (ai-edge-litert BUILTIN_REF). */
#ifndef TFM_KERNELS_QUANT_H
#define TFM_KERNELS_QUANT_H

#include <stdint.h>

#include "tfm/types.h"

/* Fused activation (schema ActivationFunctionType). */
enum {
  TFM_ACT_NONE = 0,
  TFM_ACT_RELU = 1,
  TFM_ACT_RELU_N1_TO_1 = 2,
  TFM_ACT_RELU6 = 3,
  TFM_ACT_TANH = 4,
  TFM_ACT_SIGN_BIT = 5
};

/* Round half away from zero (TfLiteRound), without libm. */
float tfm_roundf(float x);
double tfm_round(double x);

/* (int32_t)x for a float that may be out of range or NaN (hostile scales):
 * saturates, NaN gives 0; in range it is the plain conversion (C leaves
 * out-of-range float -> int conversions undefined). */
static inline int32_t tfm_saturate_f32_i32(float x) {
  if (x >= 2147483648.0f) return INT32_MAX;
  if (x >= -2147483648.0f) return (int32_t)x;
  return x < 0.0f ? INT32_MIN : 0;
}

/* zero_point + round(x) (tfm_roundf), saturated to int32: TFLite's
 * `zero_point + static_cast<int32_t>(TfLiteRound(x))` without undefined
 * behaviour for hostile scales. */
static inline int32_t tfm_round_to_i32(float x, int32_t zero_point) {
  const int64_t v = (int64_t)tfm_saturate_f32_i32(tfm_roundf(x)) + zero_point;
  return v > INT32_MAX ? INT32_MAX : (v < INT32_MIN ? INT32_MIN : (int32_t)v);
}

/* QuantizeMultiplier: real -> Q31 multiplier and power-of-two shift
 * (positive = left). */
void tfm_quantize_multiplier(double real, int32_t *multiplier, int *shift);

/* ---- wrapping integer arithmetic ----------------------------------------
 * TFLite accumulates products in int32 (int64 for 16x8) and assumes the sums
 * never overflow. A hostile model (extreme weights, bias or scales) can make
 * them overflow, which is undefined behaviour in C. Kernels therefore sum in
 * uint32_t / uint64_t, which wraps modulo 2^32 / 2^64 as compiled TFLite does
 * in practice, and convert back with these. Sums that do not overflow are the
 * plain sums, so valid models stay bit-exact. The conversions are spelled out
 * (unsigned -> signed is implementation-defined in C99); compilers turn them
 * into nothing. */
static inline int32_t tfm_wrap_i32(uint32_t u) {
  return u <= (uint32_t)INT32_MAX ? (int32_t)u : (int32_t)(u - 0x80000000u) + INT32_MIN;
}
static inline int64_t tfm_wrap_i64(uint64_t u) {
  return u <= (uint64_t)INT64_MAX ? (int64_t)u
                                  : (int64_t)(u - 0x8000000000000000u) + INT64_MIN;
}
/* a + b modulo 2^32 / 2^64. */
static inline int32_t tfm_add_wrap_i32(int32_t a, int32_t b) {
  return tfm_wrap_i32((uint32_t)a + (uint32_t)b);
}
static inline int64_t tfm_add_wrap_i64(int64_t a, int64_t b) {
  return tfm_wrap_i64((uint64_t)a + (uint64_t)b);
}

static inline int32_t tfm_saturating_rounding_doubling_high_mul(int32_t a, int32_t b) {
  if (a == b && a == INT32_MIN) return INT32_MAX;
  int64_t ab = (int64_t)a * (int64_t)b;
  int32_t nudge = ab >= 0 ? (1 << 30) : (1 - (1 << 30));
  return (int32_t)((ab + nudge) / (1LL << 31));
}

static inline int32_t tfm_rounding_divide_by_pot(int32_t x, int exponent) {
  const int32_t mask = (int32_t)((1LL << exponent) - 1);
  const int32_t remainder = x & mask;
  const int32_t threshold = (mask >> 1) + (x < 0 ? 1 : 0);
  return (x >> exponent) + (remainder > threshold ? 1 : 0);
}

/* MultiplyByQuantizedMultiplier(int32_t x, ...) as TFLite's reference
 * kernels compute it: SaturatingRoundingDoublingHighMul then
 * RoundingDivideByPOT, each rounding half away from zero. */
static inline int32_t tfm_multiply_by_quantized_multiplier(int32_t x, int32_t multiplier,
                                                           int shift) {
  const int left_shift = shift > 0 ? shift : 0;
  const int right_shift = shift > 0 ? 0 : -shift;
  /* TFLite shifts in int32 and wraps; do it in uint32 to stay defined. */
  const int32_t shifted = (int32_t)((uint32_t)x << left_shift);
  return tfm_rounding_divide_by_pot(tfm_saturating_rounding_doubling_high_mul(shifted, multiplier),
                                    right_shift);
}

/* The single-rounding form (TFLITE_SINGLE_ROUNDING, also ruy's): one
 * rounding of x * multiplier / 2^(31 - shift), half rounded up. LiteRT's
 * FULLY_CONNECTED runs through ruy and rounds this way: hello_world_int8's
 * second layer differs by one LSB between the two forms. Use it only where a
 * test against TFLite shows it. */
static inline int32_t tfm_multiply_by_quantized_multiplier_single(int32_t x, int32_t multiplier,
                                                                  int shift) {
  const int total_shift = 31 - shift;
  const int64_t round = (int64_t)1 << (total_shift - 1);
  return (int32_t)(((int64_t)x * (int64_t)multiplier + round) >> total_shift);
}

/* MultiplyByQuantizedMultiplier(int64_t x, ...) used by int16 paths. TFLite
 * assumes |x| < 2^47 and shift < 8; beyond that (hostile models only) the
 * product wraps and shifts >= 16 scale without rounding, instead of C's
 * undefined overflow and negative shift counts. */
int32_t tfm_multiply_by_quantized_multiplier_64(int64_t x, int32_t multiplier, int shift);

/* CalculateActivationRangeQuantized for an output of `type` with the given
 * scale/zero point. */
void tfm_activation_range_quantized(int activation, tfm_type type, float scale,
                                    int32_t zero_point, int32_t *act_min, int32_t *act_max);
/* CalculateActivationRange for float. */
void tfm_activation_range_float(int activation, float *act_min, float *act_max);

static inline int32_t tfm_clamp_i32(int32_t x, int32_t lo, int32_t hi) {
  return x < lo ? lo : (x > hi ? hi : x);
}
static inline float tfm_clamp_f32(float x, float lo, float hi) {
  return x < lo ? lo : (x > hi ? hi : x);
}

#endif /* TFM_KERNELS_QUANT_H */
