/* The arm-dsp fast rescale: TFLite's MultiplyByQuantizedMultiplier(x, m, shift)
 * + out_offset as one 64-bit multiply-accumulate and one shift, for channels
 * with m >= 0 and -23 <= shift <= -2 (a right shift r = -shift in [2, 23]:
 * every real conv / depthwise layer). Pure C99 (host-tested bit for bit against
 * internal/quant.h by tests/kernels_arm/test_requant_fast.py).
 *
 * TFLite rounds twice: h = floor((x*m + 2^30) / 2^31), then
 * RoundingDivideByPOT(h, r) = floor((h + 2^(r-1) - [h < 0]) / 2^r).
 * floor(floor(y / a) / b) = floor(y / (a*b)) and an integer added to floor(y/a)
 * can move inside (times a), so the result is
 *   floor((x*m + 2^30 + 2^(30+r) - [h < 0] * 2^31) / 2^(31+r)),
 * and [h < 0] may be replaced by [x < 0]: they differ only when x < 0 and
 * 0 <= x*m + 2^30 < 2^31 (h = 0), where both corrections give 0 (r >= 1).
 * With r >= 2 the constant is lo = 2^30 + [x < 0] * 2^31 (no carry) and
 * hi = 2^(r-2) - [x < 0]; the result is the high word shifted right by r - 1.
 * The output offset is folded into hi as offset << (r - 1): |high word| <= 2^30,
 * |offset << 22| <= 2^29, so the sum cannot overflow for r <= 23. */
#ifndef TFM_ARM_DSP_RQF_H
#define TFM_ARM_DSP_RQF_H

#include <stdbool.h>
#include <stdint.h>

/* The channel qualifies for dsp_rqf_apply. */
static inline bool dsp_rqf_ok(int32_t multiplier, int shift) {
  return multiplier >= 0 && shift <= -2 && shift >= -23;
}

/* The shift to rescale a channel with: a zero multiplier (a filter scale of 0
 * or below 2^-31, e.g. a pruned channel) gives TFLite 0 for every x and any
 * shift, and dsp_rqf_apply gives the same (the output offset: the high word
 * is khi or khi - 1, shifted right by sh) for any fast shift, so such a
 * channel is put on the fast rescale with shift -2. */
static inline int dsp_rqf_shift(int32_t multiplier, int shift) {
  return multiplier == 0 ? -2 : shift;
}

/* Per-channel constants: the final shift r - 1 and the high word's nudge. */
static inline int32_t dsp_rqf_sh(int shift) { return -shift - 1; }
static inline int32_t dsp_rqf_khi(int shift, int32_t out_offset) {
  const int32_t sh = -shift - 1;
  return (int32_t)((1u << (sh - 1)) + ((uint32_t)out_offset << sh));
}

/* MultiplyByQuantizedMultiplier(x, m, shift) + out_offset (see above). */
static inline int32_t dsp_rqf_apply(int32_t x, int32_t m, int32_t sh, int32_t khi) {
  const uint32_t lo = 0x40000000u | ((uint32_t)x & 0x80000000u);
  const uint32_t hi = (uint32_t)khi + (uint32_t)(x >> 31);
  const int64_t z = (int64_t)(((uint64_t)hi << 32) | lo) + (int64_t)x * m;
  return (int32_t)(z >> 32) >> sh;
}

#endif /* TFM_ARM_DSP_RQF_H */
