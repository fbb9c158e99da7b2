/* TFLite's GetInvSqrtQuantizedMultiplierExp: 1 / sqrt(input) for an int32
 * input >= 0 as a Q31 multiplier and a shift, by five gemmlowp fixed-point
 * Newton-Raphson steps (Q3 arithmetic), bit for bit. Inputs 0 and 1 give
 * (INT32_MAX, 0). `reverse_shift` -1 returns the shift as a left shift, as
 * the L2_NORMALIZATION and RSQRT kernels use it. */
#ifndef TFM_KERNELS_INV_SQRT_H
#define TFM_KERNELS_INV_SQRT_H

#include <stdint.h>

void tfm_inv_sqrt_quantized_multiplier_exp(int32_t input, int reverse_shift, int32_t *multiplier,
                                           int *shift);

#endif /* TFM_KERNELS_INV_SQRT_H */
