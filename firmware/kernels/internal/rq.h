/* Branch-free form of TFLite's requantization for optimized kernels, with
 * the per-channel part set up once (tfm_rq_make) and the per-value part
 * (tfm_rq_apply) a handful of instructions. Pure C99.
 *
 * tfm_rq_apply(tfm_rq_make(m, shift), x) == tfm_multiply_by_quantized_multiplier(x, m, shift)
 * for every x and every multiplier m >= 0 (what tfm_quantize_multiplier makes):
 * SaturatingRoundingDoublingHighMul(a, b) is (a*b + nudge) / 2^31 truncated
 * toward zero, with nudge 2^30 or 1 - 2^30 by sign. For a*b < 0 the truncated
 * quotient of a negative numerator is its ceiling, and
 * ceil((ab + 1 - 2^30) / 2^31) = floor((ab + 2^30) / 2^31); for a*b >= 0 it
 * is the floor directly. So the high mul is one arithmetic shift of
 * ab + 2^30 (its only saturating case, a = b = INT32_MIN, needs a negative
 * multiplier). The rounding division by 2^right is tfm_rounding_divide_by_pot's,
 * with its mask and threshold set up once per channel. Checked against
 * quant.h over millions of values by tests/kernels_arm/test_requant.py. */
#ifndef TFM_KERNELS_RQ_H
#define TFM_KERNELS_RQ_H

#include <stdint.h>

#include "internal/quant.h"

/* Per-channel part of the rescale. */
typedef struct tfm_rq {
  int32_t multiplier;
  int32_t left;  /* left shift before the high mul */
  int32_t right; /* right shift after it */
  int32_t mask;  /* (1 << right) - 1 */
  int32_t half;  /* mask >> 1: the rounding threshold for values >= 0 */
} tfm_rq;

static inline tfm_rq tfm_rq_make(int32_t multiplier, int shift) {
  tfm_rq q;
  q.multiplier = multiplier;
  q.left = shift > 0 ? shift : 0;
  q.right = shift > 0 ? 0 : -shift;
  q.mask = (int32_t)((1u << q.right) - 1u); /* right <= 31: fits 32 bits */
  q.half = q.mask >> 1;
  return q;
}

/* Per-value part: MultiplyByQuantizedMultiplier(x). */
static inline int32_t tfm_rq_apply(tfm_rq q, int32_t x) {
  const int32_t shifted = (int32_t)((uint32_t)x << q.left); /* wraps like TFLite */
  const int64_t ab = (int64_t)shifted * (int64_t)q.multiplier + ((int64_t)1 << 30);
  const int32_t high = (int32_t)(ab >> 31); /* fits: |ab| < 2^62 */
  const int32_t threshold = q.half + (int32_t)((uint32_t)high >> 31); /* +1 when negative */
  return (high >> q.right) + ((high & q.mask) > threshold ? 1 : 0);
}

/* tfm_rq_apply(x) + out_offset (wrapping), clamped to [act_min, act_max]. */
static inline int32_t tfm_rq_out(tfm_rq q, int32_t x, int32_t out_offset, int32_t act_min,
                                 int32_t act_max) {
  const int32_t v = tfm_add_wrap_i32(tfm_rq_apply(q, x), out_offset);
  return v < act_min ? act_min : (v > act_max ? act_max : v);
}

#endif /* TFM_KERNELS_RQ_H */
