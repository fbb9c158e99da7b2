/* Shared pieces of the arm-mve kernel set (Cortex-M55, Helium / MVE).
 *
 * One int8 dot product is VLDRB + VLDRB + VMLADAVA per 16 values; the last
 * n % 16 values run once under a VCTP8 predicate (switched-off lanes load and
 * add nothing). Predicating every iteration instead costs GCC 12 a VMRS /
 * VMSR pair and a VPST per load. The
 * input offset is folded in: sum_j w[j] * (x[j] + offset) =
 * sum_j w[j] * x[j] + offset * sum_j w[j], the weight sum taken in the same
 * loop by VADDVA. Exactness: every product is exact, VMLADAVA / VADDVA
 * accumulate into a 32-bit scalar modulo 2^32, and integer addition modulo
 * 2^32 does not depend on the order, so each accumulator equals the
 * reference kernel's (which wraps the same way, internal/quant.h); the
 * rescale is internal/rq.h's (conv) or the reference's single rounding (FC). */
#ifndef TFM_ARM_MVE_DOT_H
#define TFM_ARM_MVE_DOT_H

#include <arm_mve.h>
#include <stdint.h>

#if !defined(__ARM_FEATURE_MVE)
#error "kernel set arm-mve needs the M-profile Vector Extension (Cortex-M55)"
#endif

/* sum_j w[j] * (x[j] + offset) over n values, plus acc (all modulo 2^32). */
static inline int32_t mve_dot_s8(const int8_t *w, const int8_t *x, int32_t n, int32_t offset,
                                 int32_t acc) {
  int32_t dot = 0, wsum = 0;
  for (; n >= 16; n -= 16, w += 16, x += 16) {
    const int8x16_t wv = vldrbq_s8(w), xv = vldrbq_s8(x);
    dot = vmladavaq_s8(dot, wv, xv);
    wsum = vaddvaq_s8(wsum, wv);
  }
  if (n > 0) { /* the tail: lanes >= n neither load nor add */
    const mve_pred16_t p = vctp8q((uint32_t)n);
    const int8x16_t wv = vldrbq_z_s8(w, p), xv = vldrbq_z_s8(x, p);
    dot = vmladavaq_s8(dot, wv, xv);
    wsum = vaddvaq_s8(wsum, wv);
  }
  return (int32_t)((uint32_t)acc + (uint32_t)dot + (uint32_t)wsum * (uint32_t)offset);
}

/* Two rows w0, w1 against the same x: one x load per 16 values for both. */
static inline void mve_dot2_s8(const int8_t *w0, const int8_t *w1, const int8_t *x, int32_t n,
                               int32_t offset, int32_t *acc) {
  int32_t d0 = 0, d1 = 0, s0 = 0, s1 = 0;
  for (; n >= 16; n -= 16, w0 += 16, w1 += 16, x += 16) {
    const int8x16_t xv = vldrbq_s8(x), a = vldrbq_s8(w0), b = vldrbq_s8(w1);
    d0 = vmladavaq_s8(d0, a, xv);
    d1 = vmladavaq_s8(d1, b, xv);
    s0 = vaddvaq_s8(s0, a);
    s1 = vaddvaq_s8(s1, b);
  }
  if (n > 0) { /* the tail: lanes >= n neither load nor add */
    const mve_pred16_t p = vctp8q((uint32_t)n);
    const int8x16_t xv = vldrbq_z_s8(x, p);
    const int8x16_t a = vldrbq_z_s8(w0, p), b = vldrbq_z_s8(w1, p);
    d0 = vmladavaq_s8(d0, a, xv);
    d1 = vmladavaq_s8(d1, b, xv);
    s0 = vaddvaq_s8(s0, a);
    s1 = vaddvaq_s8(s1, b);
  }
  acc[0] = (int32_t)((uint32_t)acc[0] + (uint32_t)d0 + (uint32_t)s0 * (uint32_t)offset);
  acc[1] = (int32_t)((uint32_t)acc[1] + (uint32_t)d1 + (uint32_t)s1 * (uint32_t)offset);
}

/* Four outputs' rescale at once, bit-identical to tfm_rq_out (internal/rq.h)
 * for multipliers >= 0: x << left (wrapping, VSHL), then VQRDMULH, which is
 * floor((2ab + 2^31) / 2^32) = floor((ab + 2^30) / 2^31): rq.h's form of
 * SaturatingRoundingDoublingHighMul (it saturates only for a = b = INT32_MIN,
 * impossible with b >= 0); then RoundingDivideByPOT by `right` as a rounding
 * shift (VRSHL, exact in wider precision) of high - 1 when high < 0 and right
 * > 0, which turns its round-half-up into half-away-from-zero (VQADD keeps
 * INT32_MIN, whose rounded shift is then still exact); then the output
 * offset (wrapping) and the clamp. */
static inline int32x4_t mve_requant4(int32x4_t x, int32x4_t mult, int32x4_t shift,
                                     int32_t out_offset, int32_t act_min, int32_t act_max) {
  const int32x4_t zero = vdupq_n_s32(0);
  const int32x4_t left = vmaxq_s32(shift, zero);
  const int32x4_t right = vmaxq_s32(vnegq_s32(shift), zero);
  const int32x4_t high = vqrdmulhq_s32(vshlq_s32(x, left), mult);
  const mve_pred16_t shifting = vcmpgtq_n_s32(right, 0);
  const int32x4_t fixup = vpselq_s32(vshrq_n_s32(high, 31), zero, shifting);
  const int32x4_t v = vrshlq_s32(vqaddq_s32(high, fixup), vnegq_s32(right));
  const int32x4_t o = vaddq_s32(v, vdupq_n_s32(out_offset));
  return vminq_s32(vmaxq_s32(o, vdupq_n_s32(act_min)), vdupq_n_s32(act_max));
}

#endif /* TFM_ARM_MVE_DOT_H */
