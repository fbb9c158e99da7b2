/* The input quantization of TFLite's hybrid kernels (float activations, int8
 * weights): tensor_utils' BatchQuantizeFloats for one row, bit for bit.
 * Symmetric: scale = max|x| / 127, q = round(x * (127 / max|x|)) clamped to
 * +-127, zero point 0. Asymmetric: over [min(0, lo), max(0, hi)], scale =
 * (hi - lo) / 255 in double, TFLite's nudged zero point, q = round(zp + x /
 * scale) clamped to int8. A row without range gives zeros, scale 1, zp 0. */
#ifndef TFM_KERNELS_HYBRID_QUANT_H
#define TFM_KERNELS_HYBRID_QUANT_H

#include <stdbool.h>
#include <stdint.h>

void tfm_hybrid_quantize_row(const float *x, int32_t n, bool asymmetric, int8_t *q, float *scale,
                             int32_t *zero_point);

#endif /* TFM_KERNELS_HYBRID_QUANT_H */
