/* TFLite's integer arithmetic, shared by every kernel.
 *
 * These reproduce tensorflow/lite/kernels/internal/common.h and
 * quantization_util.cc bit for bit (non-single-rounding variant, which is
 * TFLite's default build), so int8/int16 kernels built on them are
 * bit-exact with TFLite's reference kernels. */
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

/* QuantizeMultiplier: real -> Q31 multiplier and power-of-two shift
 * (positive = left). */
void tfm_quantize_multiplier(double real, int32_t *multiplier, int *shift);

int32_t tfm_saturating_rounding_doubling_high_mul(int32_t a, int32_t b);
int32_t tfm_rounding_divide_by_pot(int32_t x, int exponent);
/* MultiplyByQuantizedMultiplier(int32_t x, ...) */
int32_t tfm_multiply_by_quantized_multiplier(int32_t x, int32_t multiplier, int shift);
/* MultiplyByQuantizedMultiplier(int64_t x, ...) used by int16 paths. */
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
