/* arm-dsp: the column-pair 2x2 int8 x int16 matrix kernel (the one-input-channel
 * depthwise fallback) and the 3-pixel column-block kernel dsp_matb (see arm_dsp.h). */
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

/* ---- column blocks of DSP_PIX = 3 pixels ---------------------------------- */

/* s0..s2 += sum over g groups of w[j] * col_q[j], q = 0..2; w and c advance.
 * One LDR + two SXTB16 per 4 weights, one LDM for the three pixels' 6 words,
 * 6 SMLAD (GCC's own code does not use LDM and spills). A macro: the
 * accumulators stay in registers of the caller. */
#if defined(__OPTIMIZE__) && !defined(__OPTIMIZE_SIZE__) && !defined(TFM_DSP_NO_ASM)
#define DSP_T_GROUP                                                                         \
  "ldr %[wv], [%[w]], #4\n\t"                                                               \
  "sxtb16 %[w02], %[wv]\n\t"                                                                \
  "sxtb16 %[wv], %[wv], ror #8\n\t"                                                         \
  "ldmia %[c]!, {r4, r5, r6, r8, r9, r10}\n\t"                                              \
  "smlad %[s0], %[w02], r4, %[s0]\n\t"                                                      \
  "smlad %[s0], %[wv], r5, %[s0]\n\t"                                                       \
  "smlad %[s1], %[w02], r6, %[s1]\n\t"                                                      \
  "smlad %[s1], %[wv], r8, %[s1]\n\t"                                                       \
  "smlad %[s2], %[w02], r9, %[s2]\n\t"                                                      \
  "smlad %[s2], %[wv], r10, %[s2]\n\t"
#define DSP_T_OPERANDS(W, C, S0, S1, S2, WV, W02)                                           \
  [w] "+r"(W), [c] "+r"(C), [s0] "+r"(S0), [s1] "+r"(S1), [s2] "+r"(S2), [wv] "=&r"(WV),    \
      [w02] "=&r"(W02)
#define DSP_DOT_1X3(W, C, G, S0, S1, S2)                                                    \
  do {                                                                                      \
    int32_t dsp_wv_, dsp_w02_;                                                              \
    for (int32_t dsp_g_ = (G); dsp_g_ > 0; --dsp_g_) {                                      \
      __asm__ volatile(DSP_T_GROUP                                                          \
                       : DSP_T_OPERANDS(W, C, S0, S1, S2, dsp_wv_, dsp_w02_)                \
                       :                                                                    \
                       : "r4", "r5", "r6", "r8", "r9", "r10", "memory");                    \
    }                                                                                       \
  } while (0)
#else /* -O0 keeps r7 as frame pointer, -Os allocates differently: too few registers */
#define DSP_DOT_1X3(W, C, G, S0, S1, S2)                                                    \
  do {                                                                                      \
    for (int32_t dsp_g_ = (G); dsp_g_ > 0; --dsp_g_, C += 6) {                              \
      const int32_t v_ = dsp_load4(W);                                                      \
      W += 4;                                                                               \
      const int32_t w02_ = dsp_sx02(v_), w13_ = dsp_sx13(v_);                               \
      S0 = __smlad(w13_, C[1], __smlad(w02_, C[0], S0));                                    \
      S1 = __smlad(w13_, C[3], __smlad(w02_, C[2], S1));                                    \
      S2 = __smlad(w13_, C[5], __smlad(w02_, C[4], S2));                                    \
    }                                                                                       \
  } while (0)
#endif

/* Clamp of a rescaled value (with the output offset) to the activation range. */
static inline __attribute__((always_inline)) int8_t dsp_clamp8(int32_t v, int32_t lo,
                                                               int32_t hi, const bool full) {
  if (full) return (int8_t)__ssat(v, 8);
  return (int8_t)(v < lo ? lo : (v > hi ? hi : v));
}

/* The general rescale of one channel's accumulators (shifts outside the fast
 * range of dsp_rqf.h): out of line, it is rare. */
static TFM_DSP_HOT void dsp_rq_slow(const int32_t *acc, int32_t m, int shift,
                                    const dsp_out_params *p, int8_t *o, int32_t n_pix,
                                    int32_t stride) {
  const dsp_rq r = dsp_rq_make(m, shift);
  for (int32_t q = 0; q < n_pix; ++q) {
    o[q * stride] = dsp_rq_out(r, acc[q], p->out_offset, p->act_min, p->act_max, false);
  }
}

static inline __attribute__((always_inline)) void dsp_matb_body(
    const int8_t *w, int32_t k, int32_t n_oc, const int16_t *col, const dsp_out_params *p,
    int8_t *out, int32_t n_pix, int32_t stride, const bool full, const bool whole) {
  const int32_t g = k >> 2, t = k & 3;
  const dsp_word *last = (const dsp_word *)col + 2 * DSP_PIX * g; /* the partial group */
  const int32_t *bias = p->bias, *mult = p->multiplier;
  const int8_t *shift = p->shift;
  const int32_t off = p->out_offset, lo = p->act_min, hi = p->act_max;
  for (int32_t oc = 0; oc < n_oc; ++oc, ++out) {
    const int32_t b = bias ? bias[oc] : 0;
    int32_t s0 = b, s1 = b, s2 = b;
    const dsp_word *c = (const dsp_word *)col;
    DSP_DOT_1X3(w, c, g, s0, s1, s2);
    if (t) { /* the row's last 1..3 weights, the block's positions past k are 0 */
      uint32_t v = 0;
      for (int32_t j = 0; j < t; ++j) v |= (uint32_t)(uint8_t)w[j] << (8 * j);
      w += t;
      const int32_t w02 = dsp_sx02((int32_t)v), w13 = dsp_sx13((int32_t)v);
      s0 = __smlad(w13, last[1], __smlad(w02, last[0], s0));
      s1 = __smlad(w13, last[3], __smlad(w02, last[2], s1));
      s2 = __smlad(w13, last[5], __smlad(w02, last[4], s2));
    }
    const int32_t m = mult[oc];
    const int sf = shift[oc];
    if (__builtin_expect(!dsp_rqf_ok(m, sf), 0)) {
      const int32_t acc[DSP_PIX] = {s0, s1, s2};
      dsp_rq_slow(acc, m, sf, p, out, n_pix, stride);
      continue;
    }
    const int32_t sh = dsp_rqf_sh(sf), khi = dsp_rqf_khi(sf, off);
    const int8_t v0 = dsp_clamp8(dsp_rqf_apply(s0, m, sh, khi), lo, hi, full);
    const int8_t v1 = dsp_clamp8(dsp_rqf_apply(s1, m, sh, khi), lo, hi, full);
    const int8_t v2 = dsp_clamp8(dsp_rqf_apply(s2, m, sh, khi), lo, hi, full);
    if (whole) {
      out[0] = v0;
      out[stride] = v1;
      out[2 * stride] = v2;
    } else {
      const int8_t v[DSP_PIX] = {v0, v1, v2};
      for (int32_t q = 0; q < n_pix; ++q) out[q * stride] = v[q];
    }
  }
}

void dsp_matb(const int8_t *w, int32_t k, int32_t n_oc, const int16_t *col,
              const dsp_out_params *p, int8_t *out, int32_t n_pix, int32_t out_stride) {
  const bool full = dsp_full_range(p->act_min, p->act_max);
  if (n_pix == DSP_PIX && full) {
    dsp_matb_body(w, k, n_oc, col, p, out, DSP_PIX, out_stride, true, true);
  } else if (n_pix == DSP_PIX) {
    dsp_matb_body(w, k, n_oc, col, p, out, DSP_PIX, out_stride, false, true);
  } else { /* the last pixels of a layer */
    dsp_matb_body(w, k, n_oc, col, p, out, n_pix, out_stride, false, false);
  }
}

void dsp_colb_pointwise(int16_t *col, const int8_t *src, int32_t k, int32_t n_pix,
                        int32_t offset) {
  const int32_t offset2 = dsp_dup16(offset);
  if (n_pix == DSP_PIX) { /* one LDR + two SXTAB16 per 4 values of each pixel */
    dsp_word *dst = (dsp_word *)col;
    for (int32_t j = 0; j < k; j += 4, dst += 2 * DSP_PIX) {
      const int32_t v0 = dsp_load4(src + j), v1 = dsp_load4(src + k + j);
      const int32_t v2 = dsp_load4(src + 2 * k + j);
      dst[0] = dsp_ext02(offset2, v0);
      dst[1] = dsp_ext13(offset2, v0);
      dst[2] = dsp_ext02(offset2, v1);
      dst[3] = dsp_ext13(offset2, v1);
      dst[4] = dsp_ext02(offset2, v2);
      dst[5] = dsp_ext13(offset2, v2);
    }
    return;
  }
  for (int q = 0; q < DSP_PIX; ++q) {
    if (q < n_pix) {
      dsp_colb_put(col, q, 0, src + q * k, k, offset);
    } else {
      dsp_colb_zero(col, q, 0, k);
    }
  }
}
