/* Vector requantization of the arm-mve kernels: four int32 accumulators at a
 * time, bit-identical to TFLite's MultiplyByQuantizedMultiplier (double
 * rounding, internal/rq.h) for multipliers >= 0.
 *
 * x << left (wrapping, VSHL), then VQRDMULH = floor((2ab + 2^31) / 2^32) =
 * floor((ab + 2^30) / 2^31): rq.h's SaturatingRoundingDoublingHighMul (it
 * saturates only for a = b = INT32_MIN, impossible with b >= 0). Then
 * RoundingDivideByPOT(high, right) as VRSHL by -right (a rounding shift,
 * exact in wider precision: round half up) of high - 1 when high < 0 and
 * right > 0, which turns half-up into TFLite's half-away-from-zero (VQADD
 * keeps INT32_MIN, whose shift has no remainder, exact). Then the output
 * offset (wrapping) and the clamp. The per-channel part (mve_rq4) is set up
 * once per group of four channels and shared by every pixel. */
#ifndef TFM_ARM_MVE_RQ_H
#define TFM_ARM_MVE_RQ_H

#include <arm_mve.h>
#include <stdint.h>

#if !defined(__ARM_FEATURE_MVE)
#error "kernel set arm-mve needs the M-profile Vector Extension (Cortex-M55)"
#endif

/* Hot loops out of line: inlined into a loop nest, GCC spills. */
#define MVE_NOINLINE __attribute__((noinline))

typedef struct mve_rq4 {
  int32x4_t mult;
  int32x4_t left;   /* max(shift, 0) */
  int32x4_t right;  /* min(shift, 0): VRSHL by it shifts right */
  mve_pred16_t rounding; /* lanes with a right shift: the half-away fix-up */
} mve_rq4;

static inline mve_rq4 mve_rq4_make(int32x4_t mult, int32x4_t shift) {
  mve_rq4 q;
  q.mult = mult;
  q.left = vmaxq_s32(shift, vdupq_n_s32(0));
  q.right = vminq_s32(shift, vdupq_n_s32(0));
  q.rounding = vcmpltq_n_s32(shift, 0);
  return q;
}

/* MultiplyByQuantizedMultiplier of four values. */
static inline int32x4_t mve_rq4_apply(const mve_rq4 *q, int32x4_t x) {
  const int32x4_t high = vqrdmulhq_s32(vshlq_s32(x, q->left), q->mult);
  const int32x4_t fixup = vpselq_s32(vshrq_n_s32(high, 31), vdupq_n_s32(0), q->rounding);
  return vrshlq_s32(vqaddq_s32(high, fixup), q->right);
}

/* ... + out_offset, clamped to [act_min, act_max]. */
static inline int32x4_t mve_rq4_out(const mve_rq4 *q, int32x4_t x, int32_t out_offset,
                                    int32_t act_min, int32_t act_max) {
  const int32x4_t o = vaddq_n_s32(mve_rq4_apply(q, x), out_offset);
  return vminq_s32(vmaxq_s32(o, vdupq_n_s32(act_min)), vdupq_n_s32(act_max));
}

/* Every lane shifts right (shift < 0: the usual case, checked once per group
 * with mve_rq4_all_right): the same result without the left shift, the
 * fix-up on every lane. */
static inline bool mve_rq4_all_right(const mve_rq4 *q) { return q->rounding == 0xFFFF; }

static inline int32x4_t mve_rq4_out_right(const mve_rq4 *q, int32x4_t x, int32_t out_offset,
                                          int32_t act_min, int32_t act_max) {
  const int32x4_t high = vqrdmulhq_s32(x, q->mult);
  const int32x4_t v = vrshlq_s32(vqaddq_s32(high, vshrq_n_s32(high, 31)), q->right);
  const int32x4_t o = vaddq_n_s32(v, out_offset);
  return vminq_s32(vmaxq_s32(o, vdupq_n_s32(act_min)), vdupq_n_s32(act_max));
}

/* mve_rq4_out, or mve_rq4_out_right when `right` (a constant after inlining). */
#define MVE_RQ4_OUT(right, q, x, off, lo, hi) \
  ((right) ? mve_rq4_out_right((q), (x), (off), (lo), (hi)) : mve_rq4_out((q), (x), (off), (lo), (hi)))

/* The same rescale with one multiplier and shift for every lane (elementwise
 * ops): scalar operands (VQRDMULH / VSHL / VRSHL by a core register), the
 * fix-up mask all-ones when shift < 0. */
typedef struct mve_rq1 {
  int32_t mult, left, right; /* right = min(shift, 0) */
  int32x4_t fix;             /* -1 in every lane when shift < 0, else 0 */
} mve_rq1;

static inline mve_rq1 mve_rq1_make(int32_t mult, int32_t shift) {
  mve_rq1 q;
  q.mult = mult;
  q.left = shift > 0 ? shift : 0;
  q.right = shift < 0 ? shift : 0;
  q.fix = vdupq_n_s32(shift < 0 ? -1 : 0);
  return q;
}

/* mve_rq1_apply for shift < 0 (no left shift, the fix-up on every lane). */
static inline int32x4_t mve_rq1_apply_right(const mve_rq1 *q, int32x4_t x) {
  const int32x4_t high = vqrdmulhq_n_s32(x, q->mult);
  return vrshlq_n_s32(vqaddq_s32(high, vshrq_n_s32(high, 31)), q->right);
}

static inline int32x4_t mve_rq1_apply(const mve_rq1 *q, int32x4_t x) {
  const int32x4_t high = vqrdmulhq_n_s32(vshlq_r_s32(x, q->left), q->mult);
  const int32x4_t fixup = vandq_s32(vshrq_n_s32(high, 31), q->fix);
  return vrshlq_n_s32(vqaddq_s32(high, fixup), q->right);
}

#endif /* TFM_ARM_MVE_RQ_H */
