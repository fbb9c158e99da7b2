/* arm-dsp: im2col columns and the 2x2 int8 x int16 matrix kernel (see arm_dsp.h). */
#include "arm_dsp.h"

/* acc += w[j] * c[j] for the natural-order tail, wrapping like SMLAD. */
static inline int32_t dsp_tail(int32_t acc, const int8_t *w, const int16_t *c, int32_t n) {
  uint32_t s = (uint32_t)acc;
  for (int32_t j = 0; j < n; ++j) s += (uint32_t)((int32_t)w[j] * c[j]);
  return (int32_t)s;
}

/* Two output channels (rows w, w + k) x the two pixels of a column pair:
 * acc[0..3] = (w0.a, w0.b, w1.a, w1.b), continuing from their values. */
static TFM_DSP_HOT void dsp_dot_2x2(const int8_t *w, const dsp_word *c, int32_t k,
                                    int32_t *acc) {
  int32_t s00 = acc[0], s01 = acc[1], s10 = acc[2], s11 = acc[3];
  const int8_t *w1 = w + k;
  int32_t g = k >> 2;
  /* Per group of 4: one LDM for both pixels' columns, one LDR + two SXTB16
   * per filter row, 8 SMLAD: 17 instructions for 16 MACs. GCC's own schedule
   * spills the loop bound and does not use LDM. The asm takes 14 registers
   * (all there are but r7, the Thumb frame pointer; unrolled twice GCC could
   * not allocate it on M7/M55). -DTFM_DSP_NO_ASM selects the C loop. */
#define DSP_GROUP                                                                          \
  "ldmia %[c]!, {r4, r5, r6, r8}\n\t" /* a02 a13 b02 b13 */                              \
  "ldr r9, [%[w0]], #4\n\t"                                                               \
  "sxtb16 r10, r9\n\t"                                                                    \
  "sxtb16 r9, r9, ror #8\n\t"                                                             \
  "smlad %[s00], r10, r4, %[s00]\n\t"                                                     \
  "smlad %[s00], r9, r5, %[s00]\n\t"                                                      \
  "smlad %[s01], r10, r6, %[s01]\n\t"                                                     \
  "smlad %[s01], r9, r8, %[s01]\n\t"                                                      \
  "ldr r9, [%[w1]], #4\n\t"                                                               \
  "sxtb16 r10, r9\n\t"                                                                    \
  "sxtb16 r9, r9, ror #8\n\t"                                                             \
  "smlad %[s10], r10, r4, %[s10]\n\t"                                                     \
  "smlad %[s10], r9, r5, %[s10]\n\t"                                                      \
  "smlad %[s11], r10, r6, %[s11]\n\t"                                                     \
  "smlad %[s11], r9, r8, %[s11]\n\t"
#define DSP_OPERANDS                                                                       \
  [c] "+r"(c), [w0] "+r"(w), [w1] "+r"(w1), [s00] "+r"(s00), [s01] "+r"(s01),              \
      [s10] "+r"(s10), [s11] "+r"(s11)
#define DSP_CLOBBERS "r4", "r5", "r6", "r8", "r9", "r10", "cc", "memory"
#if defined(__OPTIMIZE__) && !defined(__OPTIMIZE_SIZE__) && !defined(TFM_DSP_NO_ASM)
  if (g > 0) {
    __asm__ volatile("1:\n\t" DSP_GROUP
                     "subs %[g], %[g], #1\n\t"
                     "bne 1b\n\t"
                     : DSP_OPERANDS, [g] "+r"(g) : : DSP_CLOBBERS);
  }
#else /* -O0 keeps r7 as frame pointer, -Os allocates differently: too few registers */
  for (; g > 0; --g, c += 4) {
    int32_t v = dsp_load4(w);
    w += 4;
    int32_t w02 = dsp_sx02(v), w13 = dsp_sx13(v);
    s00 = __smlad(w13, c[1], __smlad(w02, c[0], s00));
    s01 = __smlad(w13, c[3], __smlad(w02, c[2], s01));
    v = dsp_load4(w1);
    w1 += 4;
    w02 = dsp_sx02(v);
    w13 = dsp_sx13(v);
    s10 = __smlad(w13, c[1], __smlad(w02, c[0], s10));
    s11 = __smlad(w13, c[3], __smlad(w02, c[2], s11));
  }
#endif
#undef DSP_GROUP
#undef DSP_OPERANDS
#undef DSP_CLOBBERS
  const int16_t *t = (const int16_t *)c;
  const int32_t n = k & 3;
  acc[0] = dsp_tail(s00, w, t, n);
  acc[1] = dsp_tail(s01, w, t + 4, n);
  acc[2] = dsp_tail(s10, w1, t, n);
  acc[3] = dsp_tail(s11, w1, t + 4, n);
}

/* One output channel x the two pixels of a column pair. */
static TFM_DSP_HOT void dsp_dot_1x2(const int8_t *w, const dsp_word *c, int32_t k,
                                    int32_t *acc) {
  int32_t s0 = acc[0], s1 = acc[1];
  const int8_t *end = w + (k & ~3);
  while (w < end) {
    const int32_t v = dsp_load4(w);
    w += 4;
    const int32_t w02 = dsp_sx02(v), w13 = dsp_sx13(v);
    s0 = __smlad(w02, c[0], s0);
    s0 = __smlad(w13, c[1], s0);
    s1 = __smlad(w02, c[2], s1);
    s1 = __smlad(w13, c[3], s1);
    c += 4;
  }
  const int16_t *t = (const int16_t *)c;
  const int32_t n = k & 3;
  acc[0] = dsp_tail(s0, w, t, n);
  acc[1] = dsp_tail(s1, w, t + 4, n);
}

/* Rescales the two pixels' accumulators of one channel (shared parameters). */
static inline __attribute__((always_inline)) void dsp_rq2(int32_t m, int shift, int32_t x_a,
                                                          int32_t x_b, int8_t *o_a, int8_t *o_b,
                                                          int32_t off, int32_t lo, int32_t hi,
                                                          const bool full) {
  const dsp_rq q = dsp_rq_make(m, shift);
  const int8_t vb = dsp_rq_out(q, x_b, off, lo, hi, full);
  const int8_t va = dsp_rq_out(q, x_a, off, lo, hi, full);
  *o_b = vb;
  *o_a = va; /* after b: with one pixel, o_b == o_a */
}

static inline __attribute__((always_inline)) void dsp_mat_body(
    const int8_t *w, int32_t k, int32_t n_oc, const dsp_word *c, const int32_t *bias,
    const int32_t *mult, const int8_t *shift, int32_t off, int32_t lo, int32_t hi,
    int8_t *out_a, int8_t *ob, const bool full) {
  int32_t oc = 0;
  int32_t acc[4];
  for (; oc + 2 <= n_oc; oc += 2, w += 2 * k) {
    const int32_t b0 = bias ? bias[oc] : 0, b1 = bias ? bias[oc + 1] : 0;
    acc[0] = b0;
    acc[1] = b0;
    acc[2] = b1;
    acc[3] = b1;
    dsp_dot_2x2(w, c, k, acc);
    dsp_rq2(mult[oc], shift[oc], acc[0], acc[1], out_a + oc, ob + oc, off, lo, hi, full);
    dsp_rq2(mult[oc + 1], shift[oc + 1], acc[2], acc[3], out_a + oc + 1, ob + oc + 1, off, lo,
            hi, full);
  }
  if (oc < n_oc) {
    acc[0] = acc[1] = bias ? bias[oc] : 0;
    dsp_dot_1x2(w, c, k, acc);
    dsp_rq2(mult[oc], shift[oc], acc[0], acc[1], out_a + oc, ob + oc, off, lo, hi, full);
  }
}

void dsp_mat_s8s16(const int8_t *w, int32_t k, int32_t n_oc, const int16_t *col,
                   const dsp_out_params *p, int8_t *out_a, int8_t *out_b) {
  const dsp_word *c = (const dsp_word *)col;
  /* one pixel: b's results land on a's, then a's overwrite them */
  int8_t *const ob = out_b ? out_b : out_a;
  if (dsp_full_range(p->act_min, p->act_max)) { /* unswitched: SSAT clamp */
    dsp_mat_body(w, k, n_oc, c, p->bias, p->multiplier, p->shift, p->out_offset, -128, 127,
                 out_a, ob, true);
  } else {
    dsp_mat_body(w, k, n_oc, c, p->bias, p->multiplier, p->shift, p->out_offset, p->act_min,
                 p->act_max, out_a, ob, false);
  }
}
