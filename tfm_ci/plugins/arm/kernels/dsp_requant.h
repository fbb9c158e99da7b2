/* Branch-free form of TFLite's requantization, shared by the arm-dsp kernels.
 *
 * Pure C99 (no Arm intrinsics) so the host test suite can check it against
 * kernels/internal/quant.h bit for bit (tests/kernels_arm/test_requant.py).
 *
 * dsp_rq_apply(dsp_rq_make(m, shift), x) == tfm_multiply_by_quantized_multiplier(x, m, shift)
 * for every x and every multiplier m >= 0 (what tfm_quantize_multiplier makes):
 * SaturatingRoundingDoublingHighMul(a, b) is (a*b + nudge) / 2^31 truncated
 * toward zero, with nudge 2^30 or 1 - 2^30 by sign. For a*b < 0 the truncated
 * quotient of a negative numerator is its ceiling, and
 * ceil((ab + 1 - 2^30) / 2^31) = floor((ab + 2^30) / 2^31); for a*b >= 0 it
 * is the floor directly. So the high mul is one arithmetic shift of
 * ab + 2^30 (SMLAL + two shifts on the core; its only saturating case,
 * a = b = INT32_MIN, needs a negative multiplier). The rounding division by
 * 2^right is tfm_rounding_divide_by_pot's, with its mask and threshold set up
 * once per channel. */
#ifndef TFM_ARM_DSP_REQUANT_H
#define TFM_ARM_DSP_REQUANT_H

#include <stdint.h>

#include "internal/quant.h"

/* Per-channel part of the rescale. */
typedef struct dsp_rq {
  int32_t multiplier;
  int32_t left;  /* left shift before the high mul */
  int32_t right; /* right shift after it */
  int32_t mask;  /* (1 << right) - 1 */
  int32_t half;  /* mask >> 1: the rounding threshold for values >= 0 */
} dsp_rq;

static inline dsp_rq dsp_rq_make(int32_t multiplier, int shift) {
  dsp_rq q;
  q.multiplier = multiplier;
  q.left = shift > 0 ? shift : 0;
  q.right = shift > 0 ? 0 : -shift;
  q.mask = (int32_t)(((int64_t)1 << q.right) - 1);
  q.half = q.mask >> 1;
  return q;
}

/* Per-value part: MultiplyByQuantizedMultiplier(x). */
static inline int32_t dsp_rq_apply(dsp_rq q, int32_t x) {
  const int32_t shifted = (int32_t)((uint32_t)x << q.left); /* wraps like TFLite */
  const int64_t ab = (int64_t)shifted * (int64_t)q.multiplier + ((int64_t)1 << 30);
  const int32_t high = (int32_t)(ab >> 31); /* fits: |ab| < 2^62 */
  const int32_t threshold = q.half + (int32_t)((uint32_t)high >> 31); /* +1 when negative */
  return (high >> q.right) + ((high & q.mask) > threshold ? 1 : 0);
}

#endif /* TFM_ARM_DSP_REQUANT_H */
