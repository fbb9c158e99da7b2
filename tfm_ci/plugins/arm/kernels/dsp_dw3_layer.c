/* arm-dsp DEPTHWISE_CONV_2D, 3x3 path (see depthwise_conv_2d.c): one channel
 * at a time, its 3 input rows held as int16 in a ring (scratch: 3 rows of
 * dsp_dw3_row_len values), so that horizontal neighbours are adjacent halves
 * of a word and one SMLAD does two taps. The rows hold the raw input (the
 * padding as -input_offset); the input offset times the sum of the 9 weights
 * is folded into the bias, so sum w * (x + offset) is unchanged, padded taps
 * included (they add w * 0). With W01 = (w0, w1) and W12 = (w1, w2) of a
 * filter row, A = (x0, x1), B = (x2, x3), C = (x4, x5):
 *   stride 1: out0 += SMLAD(A, W01) + SMLABT(B, W12),
 *             out1 += SMLATB(A, W01) + SMLAD(B, W12);
 *   stride 2: out0 += SMLAD(A, W01) + SMLABT(B, W12),
 *             out1 += SMLAD(B, W01) + SMLABT(C, W12);
 * other strides and the last odd pixel one output at a time. The weights and
 * the rescale of the channel stay in registers over its whole image. */
#include "dsp_dw.h"

typedef dsp_dw3_pairs dsp_dw3_ch; /* one struct: the asm's part and the C paths' */

static inline __attribute__((always_inline)) int8_t dsp_dw3_rq(int32_t acc, const dsp_dw3_ch *k,
                                                               bool fast) {
  if (fast) return (int8_t)__ssat(dsp_rqf_apply(acc, k->m, k->sh, k->khi), 8);
  return dsp_rq_out(k->q, acc, k->out_offset, -128, 127, true);
}

/* One output row of one channel from input rows r0, r1, r2 (window columns
 * from the first tap of output 0; word aligned). */
static inline __attribute__((always_inline)) void dsp_dw3_row(
    const int16_t *r0, const int16_t *r1, const int16_t *r2, int8_t *o, int32_t ch,
    int32_t out_w, int32_t sw, const dsp_dw3_ch *k, bool fast) {
  const int32_t a01 = k->w[2 * 0], a12 = k->w[2 * 0 + 1], b01 = k->w[2 * 1], b12 = k->w[2 * 1 + 1];
  const int32_t c01 = k->w[2 * 2], c12 = k->w[2 * 2 + 1], bias = k->bias;
  int32_t ox = 0;
  if (sw == 1) {
    const dsp_word *p0 = (const dsp_word *)r0, *p1 = (const dsp_word *)r1,
                   *p2 = (const dsp_word *)r2;
    for (; ox + 2 <= out_w; ox += 2, o += 2 * ch, ++p0, ++p1, ++p2) {
      int32_t A = p0[0], B = p0[1];
      int32_t s0 = __smlabt(B, a12, __smlad(A, a01, bias));
      int32_t s1 = __smlad(B, a12, __smlatb(A, a01, bias));
      A = p1[0], B = p1[1];
      s0 = __smlabt(B, b12, __smlad(A, b01, s0));
      s1 = __smlad(B, b12, __smlatb(A, b01, s1));
      A = p2[0], B = p2[1];
      s0 = __smlabt(B, c12, __smlad(A, c01, s0));
      s1 = __smlad(B, c12, __smlatb(A, c01, s1));
      o[0] = dsp_dw3_rq(s0, k, fast);
      o[ch] = dsp_dw3_rq(s1, k, fast);
    }
  } else if (sw == 2) {
    const dsp_word *p0 = (const dsp_word *)r0, *p1 = (const dsp_word *)r1,
                   *p2 = (const dsp_word *)r2;
    for (; ox + 2 <= out_w; ox += 2, o += 2 * ch, p0 += 2, p1 += 2, p2 += 2) {
      int32_t A = p0[0], B = p0[1], C = p0[2];
      int32_t s0 = __smlabt(B, a12, __smlad(A, a01, bias));
      int32_t s1 = __smlabt(C, a12, __smlad(B, a01, bias));
      A = p1[0], B = p1[1], C = p1[2];
      s0 = __smlabt(B, b12, __smlad(A, b01, s0));
      s1 = __smlabt(C, b12, __smlad(B, b01, s1));
      A = p2[0], B = p2[1], C = p2[2];
      s0 = __smlabt(B, c12, __smlad(A, c01, s0));
      s1 = __smlabt(C, c12, __smlad(B, c01, s1));
      o[0] = dsp_dw3_rq(s0, k, fast);
      o[ch] = dsp_dw3_rq(s1, k, fast);
    }
  }
  for (; ox < out_w; ++ox, o += ch) { /* any stride, any alignment */
    const int32_t x = ox * sw;
    uint32_t s = (uint32_t)bias;
    const int16_t *rows[3] = {r0, r1, r2};
    for (int r = 0; r < 3; ++r) {
      const int16_t *p = rows[r] + x;
      s += (uint32_t)(p[0] * (int16_t)k->w[2 * r] + p[1] * (k->w[2 * r] >> 16) +
                      p[2] * (k->w[2 * r + 1] >> 16));
    }
    o[0] = dsp_dw3_rq((int32_t)s, k, fast);
  }
}

/* Two int16 lanes (lo, hi) as one word (PKHBT). */
static inline uint32_t dsp_pack16(int32_t lo, int32_t hi) {
  uint32_t r; /* GCC makes UXTH + ORR of the C expression */
  __asm__("pkhbt %0, %1, %2, lsl #16" : "=r"(r) : "r"(lo), "r"(hi));
  return r;
}

/* dst[0..n) = the int8 values p[0], p[ch], ...: 4 at a time, 4 LDRSB, 2 PKHBT
 * and 2 word stores (dst may be only 2-byte aligned: unaligned STR). */
static inline __attribute__((always_inline)) void dsp_dw3_copy(int16_t *dst, const int8_t *p,
                                                               int32_t ch, int32_t n) {
  const int32_t ch2 = 2 * ch, ch3 = 3 * ch;
  for (; n >= 4; n -= 4, p += 4 * ch, dst += 4) {
    const uint32_t lo = dsp_pack16(p[0], p[ch]), hi = dsp_pack16(p[ch2], p[ch3]);
    __builtin_memcpy(dst, &lo, sizeof lo);
    __builtin_memcpy(dst + 2, &hi, sizeof hi);
  }
  for (; n > 0; --n, p += ch) *dst++ = *p;
}

/* Input row y of channel c into `dst` (len values): the raw inputs of window
 * columns x = i - padding, `pad` (= -input_offset) outside the image. */
static void dsp_dw3_unpack(int16_t *dst, int32_t len, const int8_t *in_b, int32_t y,
                           const TfmDepthwiseConv2DData *d, int16_t pad) {
  int32_t i = 0;
  if (y >= 0 && y < d->in_h) {
    const int32_t ch = d->in_d, pl = d->padding.width;
    for (; i < pl && i < len; ++i) dst[i] = pad;
    int32_t n = d->in_w;
    if (n > len - i) n = len - i;
    dsp_dw3_copy(dst + i, in_b + y * d->in_w * ch, ch, n);
    i += n;
  }
  for (; i < len; ++i) dst[i] = pad;
}

static void dsp_dw3_channel_make(dsp_dw3_ch *k, const TfmDepthwiseConv2DData *d,
                                 const int8_t *filter, const int32_t *bias, int32_t c) {
  const int32_t ch = d->out_d; /* c: the output channel */
  int32_t sum = 0;
  for (int r = 0; r < 3; ++r) {
    const int32_t w0 = filter[(3 * r) * ch + c], w1 = filter[(3 * r + 1) * ch + c],
                  w2 = filter[(3 * r + 2) * ch + c];
    k->w[2 * r] = (int32_t)(((uint32_t)w0 & 0xFFFFu) | ((uint32_t)w1 << 16));
    k->w[2 * r + 1] = (int32_t)(((uint32_t)w1 & 0xFFFFu) | ((uint32_t)w2 << 16));
    sum += w0 + w1 + w2;
  }
  k->bias = (int32_t)((uint32_t)(bias ? bias[c] : 0) + (uint32_t)(d->input_offset * sum));
  const int32_t m = d->multiplier[c];
  const int s = d->shift[c];
  k->m = m;
  k->out_offset = d->output_offset;
  k->ch = ch;
  if (dsp_rqf_ok(m, s)) {
    k->sh = dsp_rqf_sh(s);
    k->khi = dsp_rqf_khi(s, d->output_offset);
  } else {
    k->q = dsp_rq_make(m, s);
    k->sh = -1;
    k->khi = 0;
  }
}

/* Output rows [0, rows) of a channel from input rows r0 (row_step values
 * between the first rows of two output rows, len between the 3 rows of one):
 * the pairs in assembly (fast rescale, strides 1 and 2), the rest in C. */
static inline __attribute__((always_inline)) void dsp_dw3_rows(
    const TfmDepthwiseConv2DData *d, const int16_t *r0, int32_t rows, int32_t row_step,
    int32_t len, int8_t *o, const dsp_dw3_ch *k, dsp_dw3_pairs *pairs, bool fast) {
  const int32_t ch = d->out_d, out_w = d->out_w, sw = d->stride_w;
  int32_t n = 0;
  if (fast && (sw == 1 || sw == 2) && out_w >= 2) {
    /* odd widths: rows but the last one output further (the next row's first
     * pixel, written again by that row; the row length covers its taps) */
    const int32_t wide = (out_w + 1) & ~1, up = wide == out_w ? rows : rows - 1;
    pairs->row_step = 2 * row_step;
    pairs->len_bytes = 2 * len;
    pairs->out_row = out_w * ch;
    pairs->r0 = r0;
    pairs->out = o;
    void (*const run)(const dsp_dw3_pairs *) = sw == 1 ? dsp_dw3_pairs_s1 : dsp_dw3_pairs_s2;
    if (up > 0) {
      pairs->pair_bytes = 2 * wide * sw;
      pairs->rows = up;
      run(pairs);
    }
    if (up == rows) return;
    r0 += up * row_step, o += up * out_w * ch, rows = 1;
    n = out_w & ~1;
    pairs->pair_bytes = 2 * n * sw;
    pairs->rows = 1;
    pairs->r0 = r0;
    pairs->out = o;
    run(pairs);
  }
  for (int32_t y = 0; y < rows; ++y, r0 += row_step, o += out_w * ch) {
    const int16_t *p = r0 + n * sw;
    dsp_dw3_row(p, p + len, p + 2 * len, o + n * ch, ch, out_w - n, sw, k, fast);
  }
}

/* One channel over its whole image (all batches) from a ring of 3 input rows
 * (rows 0 and 1 also stored as rows 3 and 4: 5 rows of scratch), one output
 * row at a time: layers whose rows do not all fit the scratch. */
static inline __attribute__((always_inline)) void dsp_dw3_image(
    const TfmDepthwiseConv2DData *d, const int8_t *in, int8_t *out, int16_t *ring,
    const dsp_dw3_ch *k, dsp_dw3_pairs *pairs, int32_t c, bool fast) {
  const int32_t ch = d->in_d, len = dsp_dw3_row_len(d), out_w = d->out_w;
  const int32_t sh = d->stride_h;
  const int16_t pad = (int16_t)-d->input_offset;
  for (int32_t b = 0; b < d->batches; ++b) {
    const int8_t *in_b = in + b * d->in_h * d->in_w * ch + c;
    int8_t *out_b = out + b * d->out_h * out_w * ch + c;
    int32_t next = INT32_MIN; /* the first input row not in the ring yet */
    for (int32_t oy = 0; oy < d->out_h; ++oy) {
      const int32_t y0 = oy * sh - d->padding.height;
      for (int32_t y = next > y0 ? next : y0; y < y0 + 3; ++y) {
        const int32_t slot = ((y % 3) + 3) % 3;
        int16_t *row = ring + slot * len;
        dsp_dw3_unpack(row, len, in_b, y, d, pad);
        if (slot < 2) { /* also slot 3 / 4: the 3 rows of y0 always contiguous */
          const dsp_word *src = (const dsp_word *)row;
          dsp_word *dst = (dsp_word *)(row + 3 * len);
          for (int32_t i = 0; i < len / 2; ++i) dst[i] = src[i];
        }
      }
      next = y0 + 3;
      dsp_dw3_rows(d, ring + (((y0 % 3) + 3) % 3) * len, 1, 0, len, out_b + oy * out_w * ch, k,
                   pairs, fast);
    }
  }
}

static TFM_DSP_HOT void dsp_dw3_image_fast(const TfmDepthwiseConv2DData *d, const int8_t *in,
                                           int8_t *out, int16_t *ring, dsp_dw3_ch *k,
                                           int32_t c) {
  dsp_dw3_image(d, in, out, ring, k, k, c, true); /* k: also the asm's struct */
}

static TFM_DSP_HOT void dsp_dw3_image_slow(const TfmDepthwiseConv2DData *d, const int8_t *in,
                                           int8_t *out, int16_t *ring,
                                           const dsp_dw3_ch *k, int32_t c) {
  dsp_dw3_image(d, in, out, ring, k, NULL, c, false);
}

/* The output rows of channel k (fast or general rescale). */
static TFM_DSP_HOT void dsp_dw3_rows_fast(const TfmDepthwiseConv2DData *d, const int16_t *r0,
                                          int32_t rows, int32_t row_step, int32_t len,
                                          int8_t *o, const dsp_dw3_ch *k, dsp_dw3_pairs *pairs) {
  dsp_dw3_rows(d, r0, rows, row_step, len, o, k, pairs, true);
}

static TFM_DSP_HOT void dsp_dw3_rows_slow(const TfmDepthwiseConv2DData *d, const int16_t *r0,
                                          int32_t rows, int32_t row_step, int32_t len,
                                          int8_t *o, const dsp_dw3_ch *k) {
  dsp_dw3_rows(d, r0, rows, row_step, len, o, k, NULL, false);
}

#define DSP_DW3_CHUNK 8 /* output channels of one input channel per sweep */

/* One input channel, output channels oc0 .. oc0 + n, over the whole image (all
 * batches): every input row they read unpacked at once when they fit the
 * scratch (`room` values; `fresh`: the scratch does not hold them already),
 * else a ring of 3 rows (rows 0 and 1 also stored as rows 3 and 4: 5 rows of
 * scratch), one output row at a time. */
static void dsp_dw3_image_n(const TfmDepthwiseConv2DData *d, const int8_t *in, int8_t *out,
                          int16_t *ring, int32_t room, dsp_dw3_ch *k, int32_t n,
                          int32_t c, int32_t oc0, bool fresh) {
  const int32_t ch = d->in_d, od = d->out_d, len = dsp_dw3_row_len(d), out_w = d->out_w;
  const int32_t sh = d->stride_h, span = (d->out_h - 1) * sh + 3;
  const int16_t pad = (int16_t)-d->input_offset;
  for (int32_t b = 0; b < d->batches; ++b) {
    const int8_t *in_b = in + b * d->in_h * d->in_w * ch + c;
    int8_t *out_b = out + b * d->out_h * out_w * od + oc0;
    if (span * len <= room) { /* the padding is in place (dsp_dw3_layer) */
      if (fresh || d->batches > 1) {
        const int32_t pt = d->padding.height, pl = d->padding.width;
        const int32_t y_hi = d->in_h < span - pt ? d->in_h : span - pt;
        const int32_t x_hi = d->in_w < len - pl ? d->in_w : len - pl;
        for (int32_t y = pt > 0 ? 0 : -pt; y < y_hi; ++y) {
          dsp_dw3_copy(ring + (y + pt) * len + pl, in_b + y * d->in_w * ch, ch, x_hi);
        }
      }
      for (int32_t i = 0; i < n; ++i) {
        if (k[i].sh >= 0) {
          dsp_dw3_rows_fast(d, ring, d->out_h, sh * len, len, out_b + i, &k[i], &k[i]);
        } else {
          dsp_dw3_rows_slow(d, ring, d->out_h, sh * len, len, out_b + i, &k[i]);
        }
      }
      continue;
    }
    int32_t next = INT32_MIN; /* the first input row not in the ring yet */
    for (int32_t oy = 0; oy < d->out_h; ++oy) {
      const int32_t y0 = oy * sh - d->padding.height;
      for (int32_t y = next > y0 ? next : y0; y < y0 + 3; ++y) {
        const int32_t slot = ((y % 3) + 3) % 3;
        int16_t *row = ring + slot * len;
        dsp_dw3_unpack(row, len, in_b, y, d, pad);
        if (slot < 2) { /* also slot 3 / 4: the 3 rows of y0 always contiguous */
          const dsp_word *src = (const dsp_word *)row;
          dsp_word *dst = (dsp_word *)(row + 3 * len);
          for (int32_t i = 0; i < len / 2; ++i) dst[i] = src[i];
        }
      }
      next = y0 + 3;
      const int16_t *r0 = ring + (((y0 % 3) + 3) % 3) * len;
      int8_t *o = out_b + oy * out_w * od;
      for (int32_t i = 0; i < n; ++i) {
        if (k[i].sh >= 0) {
          dsp_dw3_rows_fast(d, r0, 1, 0, len, o + i, &k[i], &k[i]);
        } else {
          dsp_dw3_rows_slow(d, r0, 1, 0, len, o + i, &k[i]);
        }
      }
    }
  }
}

/* One input channel: its output channels DSP_DW3_CHUNK at a time (their
 * constants on the stack of this function only). */
static TFM_DSP_HOT void dsp_dw3_one_input(const TfmDepthwiseConv2DData *d, const int8_t *in,
                                          const int8_t *filter, const int32_t *bias,
                                          int8_t *out, int16_t *ring, int32_t room) {
  for (int32_t oc0 = 0; oc0 < d->out_d; oc0 += DSP_DW3_CHUNK) {
    const int32_t n = d->out_d - oc0 < DSP_DW3_CHUNK ? d->out_d - oc0 : DSP_DW3_CHUNK;
    dsp_dw3_ch k[DSP_DW3_CHUNK];
    for (int32_t i = 0; i < n; ++i) dsp_dw3_channel_make(&k[i], d, filter, bias, oc0 + i);
    dsp_dw3_image_n(d, in, out, ring, room, k, n, 0, oc0, oc0 == 0);
  }
}

/* 3x3, no dilation, the whole int8 range as activation range, depth
 * multiplier 1 (a channel at a time) or one input channel (any multiplier:
 * its rows shared by DSP_DW3_CHUNK output channels at a time); window:
 * dsp_dw3_window_bytes of scratch (word aligned). */
void dsp_dw3_layer(const TfmDepthwiseConv2DData *d, const int8_t *in, const int8_t *filter,
                   const int32_t *bias, int8_t *out, int32_t *window) {
  int16_t *ring = (int16_t *)window;
  const int32_t room = (int32_t)(dsp_dw3_window_bytes(d) / 2);
  const int32_t span = (d->out_h - 1) * d->stride_h + 3, len = dsp_dw3_row_len(d);
  if (span * len <= room) { /* whole-image mode: every value the padding */
    const int16_t pad = (int16_t)-d->input_offset;
    for (int32_t i = 0; i < span * len; ++i) ring[i] = pad;
  }
  if (d->in_d == 1 && d->out_d > 1) {
    dsp_dw3_one_input(d, in, filter, bias, out, ring, room);
    return;
  }
  if (span * len <= room) { /* whole images: one copy of the channel's rows, its outputs */
    const int32_t ch = d->in_d, pt = d->padding.height, pl = d->padding.width;
    const int32_t y_lo = pt > 0 ? 0 : -pt, y_hi = d->in_h < span - pt ? d->in_h : span - pt;
    const int32_t x_hi = d->in_w < len - pl ? d->in_w : len - pl, row = d->in_w * ch;
    const int32_t image = d->in_h * row, out_image = d->out_h * d->out_w * ch;
    int16_t *dst0 = ring + (y_lo + pt) * len + pl;
    for (int32_t c = 0; c < ch; ++c) {
      dsp_dw3_ch k;
      dsp_dw3_channel_make(&k, d, filter, bias, c);
      for (int32_t b = 0; b < d->batches; ++b) {
        const int8_t *src = in + b * image + y_lo * row + c;
        int16_t *dst = dst0;
        for (int32_t y = y_lo; y < y_hi; ++y, src += row, dst += len) {
          dsp_dw3_copy(dst, src, ch, x_hi);
        }
        int8_t *o = out + b * out_image + c;
        if (k.sh >= 0) {
          dsp_dw3_rows_fast(d, ring, d->out_h, d->stride_h * len, len, o, &k, &k);
        } else {
          dsp_dw3_rows_slow(d, ring, d->out_h, d->stride_h * len, len, o, &k);
        }
      }
    }
    return;
  }
  for (int32_t c = 0; c < d->in_d; ++c) {
    dsp_dw3_ch k;
    dsp_dw3_channel_make(&k, d, filter, bias, c);
    if (k.sh >= 0) {
      dsp_dw3_image_fast(d, in, out, ring, &k, c);
    } else {
      dsp_dw3_image_slow(d, in, out, ring, &k, c);
    }
  }
}
