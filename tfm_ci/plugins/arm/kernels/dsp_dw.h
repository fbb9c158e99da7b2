/* Shared pieces of arm-dsp's DEPTHWISE_CONV_2D (depthwise_conv_2d.c): the
 * per-channel rescale rows, the 3x3 path (dsp_dw3_layer.c) and the
 * one-input-channel paths (dsp_dw_one.c). */
#ifndef TFM_ARM_DSP_DW_H
#define TFM_ARM_DSP_DW_H

#include "arm_dsp.h"
#include "common/depthwise_conv_2d.h"

static inline int32_t dsp_dw_taps(const TfmDepthwiseConv2DData *d) {
  return d->filter_h * d->filter_w;
}

/* Rescale through a table row of dsp_dw_table: the fast form, or (sh < 0) the
 * general one for a channel outside its range (shift in khi). */
static inline __attribute__((always_inline)) int8_t dsp_dw_rq(int32_t acc, const dsp_dw_row *r,
                                                              int32_t out_offset) {
  if (__builtin_expect(r->sh >= 0, 1)) {
    return (int8_t)__ssat(dsp_rqf_apply(acc, r->m, r->sh, r->khi), 8);
  }
  return dsp_rq_out(dsp_rq_make(r->m, r->khi), acc, out_offset, -128, 127, true);
}

/* Rows for every channel, those off the fast rescale marked
 * sh = -1 (shift in khi); false unless the activation range is all of int8. */
static inline bool dsp_dw_table(dsp_dw_row *table, int32_t n, const dsp_out_params *p) {
  if (!dsp_full_range(p->act_min, p->act_max)) return false;
  for (int32_t c = 0; c < n; ++c) {
    const int32_t m = p->multiplier[c];
    const int s = p->shift[c];
    table[c].bias = p->bias ? p->bias[c] : 0;
    table[c].m = m;
    const bool fast = dsp_rqf_ok(m, s);
    table[c].sh = fast ? dsp_rqf_sh(s) : -1;
    table[c].khi = fast ? dsp_rqf_khi(s, p->out_offset) : s;
  }
  return true;
}

/* The input columns a 3x3 layer's output row reads (padding included), the
 * int16 values of one input row of dsp_dw3_layer (room for the taps of a
 * pair beyond the last pixel, stride 2, even: every row word aligned) and its scratch: 48 bytes per
 * window column (room for a ring of 3 rows at least), or all the input
 * rows of a channel when they take no more than DSP_DW3_WHOLE_MAX bytes. */
#define DSP_DW3_WHOLE_MAX 8192u
static inline int32_t dsp_dw3_window_w(const TfmDepthwiseConv2DData *d) {
  return (d->out_w - 1) * d->stride_w + 3;
}

static inline int32_t dsp_dw3_row_len(const TfmDepthwiseConv2DData *d) {
  return (dsp_dw3_window_w(d) + 4) & ~1;
}

static inline size_t dsp_dw3_window_bytes(const TfmDepthwiseConv2DData *d) {
  const size_t ring = 48u * (size_t)dsp_dw3_window_w(d);
  const size_t whole = 2u * (size_t)((d->out_h - 1) * d->stride_h + 3) *
                       (size_t)dsp_dw3_row_len(d);
  return whole <= DSP_DW3_WHOLE_MAX && whole > ring ? whole : ring;
}

/* Output columns [*a, *b) whose tap at input column offset `shift` (= fx *
 * dilation - padding) lies inside 0 <= ox * stride + shift < in_w. */
static inline void dsp_dw_col_range(int32_t shift, int32_t stride, int32_t in_w, int32_t out_w,
                             int32_t *a, int32_t *b) {
  const int32_t lo = shift >= 0 ? 0 : (-shift + stride - 1) / stride;
  const int32_t last = in_w - 1 - shift; /* ox * stride <= last */
  const int32_t hi = last < 0 ? 0 : last / stride + 1;
  *a = lo;
  *b = hi < out_w ? hi : out_w;
}

/* 3x3, no dilation, depth multiplier 1, the whole int8 range as activation
 * range (dsp_dw3_layer.c); window: dsp_dw3_window_bytes of scratch. */
void dsp_dw3_layer(const TfmDepthwiseConv2DData *d, const int8_t *in, const int8_t *filter,
                   const int32_t *bias, int8_t *out, int32_t *window);

/* One input channel (dsp_dw_one.c): im2col column pair + the transposed
 * filter in scratch (any activation range), or straight from the input with
 * the rows of dsp_dw_table (the whole int8 range). */
void dsp_dw_one_channel(const TfmDepthwiseConv2DData *d, const int8_t *in, const int8_t *filter,
                        const int32_t *bias, int8_t *out, uint8_t *scratch);
void dsp_dw_one_channel_direct(const TfmDepthwiseConv2DData *d, const int8_t *in,
                               const int8_t *filter, int8_t *out, const dsp_dw_row *table);

#endif /* TFM_ARM_DSP_DW_H */
