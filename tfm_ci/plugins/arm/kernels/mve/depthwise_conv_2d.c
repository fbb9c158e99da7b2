/* arm-mve DEPTHWISE_CONV_2D: replaces kernels/reference/depthwise_conv_2d.c in
 * kernel set "arm-mve".
 *
 * Prepare, float32 and 16x8 are the shared ones of common/depthwise_conv_2d.h.
 * int8 runs here:
 *  - one input channel (any multiplier, e.g. a first layer or micro_speech's
 *    10x8 window): output channel m is then a convolution with filter row
 *    w[.., m], so the filter is transposed once per eval into scratch and the
 *    im2col matrix kernel of CONV_2D runs (mve_gemm.h: VMLADAVA, 16 taps per
 *    instruction);
 *  - otherwise four output channels per MVE vector: for every in-image tap,
 *    VLDRB.S32 loads the four outputs' weights, the inputs are loaded the same
 *    way (multiplier 1) or gathered (input channel o / multiplier of output o,
 *    VLDRB gather), and VMUL + VADD accumulate in 32-bit lanes (exact products, sums
 *    modulo 2^32 as the reference's). With multiplier 1, pixels whose 3x3
 *    window lies inside the image take an unrolled path with the input
 *    offset folded into a per-channel correction (bias + offset * sum of the
 *    nine weights, once per eval in scratch); with SAME padding every output
 *    row works on a zero-point-padded copy of its three input rows, so all
 *    pixels take that path; the others add the offset to each input. The
 *    outputs are rescaled four at a time (mve_rq.h) and stored as bytes;
 *    channel tails run under a VCTP32 predicate. */
#include "common/depthwise_conv_2d.h"
#include "common/ops.h"
#include "mve_dot.h"
#include "mve_gemm.h"
#include "mve_rq.h"
#include "tfm/kernels.h"

#define TFM_MVE_HOT __attribute__((noinline))

static bool mve_dw_3x3(const TfmDepthwiseConv2DData *d) {
  return d->depth_multiplier == 1 && d->filter_h == 3 && d->filter_w == 3 &&
         d->dilation_h == 1 && d->dilation_w == 1 && d->out_d >= 4;
}

/* SAME-padded 3x3 with whole groups of four channels: every output row runs
 * the row kernel on a copy of its three input rows padded with the input zero
 * point (w * (zp + offset) = 0, also after the folded correction), so border
 * pixels take the fast path too. Width of a padded row, in pixels: */
static int32_t mve_dw_pad_w(const TfmDepthwiseConv2DData *d) {
  return (d->out_w - 1) * d->stride_w + 3;
}

/* Padded row slots: stride 1 keeps a ring of three rows stored twice over
 * five slots (row r of the ring at slot r and, for r < 2, r + 3), so the
 * three rows of every window are consecutive slots and each output row copies
 * one new input row (twice at most); other strides copy three rows. */
static int32_t mve_dw_pad_slots(const TfmDepthwiseConv2DData *d) {
  return d->stride_h == 1 ? 5 : 3;
}

static bool mve_dw_padded(const TfmDepthwiseConv2DData *d) {
  return mve_dw_3x3(d) && (d->padding.width > 0 || d->padding.height > 0) &&
         d->out_d % 4 == 0;
}

/* Scratch (replacing the reference's accumulator row, which int8 never uses):
 * one input channel: corrections (out_d int32), transposed filter (out_d * k),
 * im2col columns; 3x3 with multiplier 1: the corrections (+ the padded row
 * slots when SAME-padded). */
static tfm_status mve_dw_prepare(tfm_context *ctx, tfm_node *node) {
  TFM_TRY(tfm_depthwise_conv_2d_prepare(ctx, node));
  TfmDepthwiseConv2DData *d = (TfmDepthwiseConv2DData *)node->data;
  if (tfm_input(ctx, node, 0)->type != TFM_INT8) return TFM_OK;
  const int32_t k = d->filter_h * d->filter_w;
  size_t bytes = 0;
  if (d->in_d == 1) {
    bytes = 4 * (size_t)d->out_d + (((size_t)d->out_d * (size_t)k + 3) & ~(size_t)3) +
            (size_t)mve_cols_pixels(k) * (size_t)k;
  } else if (mve_dw_3x3(d)) {
    bytes = 4 * (size_t)d->out_d +
            (mve_dw_padded(d) ? (size_t)mve_dw_pad_slots(d) * (size_t)mve_dw_pad_w(d) *
                                    (size_t)d->out_d
                              : 0);
  } else {
    return TFM_OK;
  }
  return tfm_request_scratch(ctx, bytes, &d->scratch_index);
}

/* One input channel: a convolution of out_d filters of k = fh * fw taps. */
static void mve_dw_as_conv(const TfmDepthwiseConv2DData *d, const int8_t *in,
                           const int8_t *filter, const int32_t *bias, int8_t *scratch,
                           int8_t *out) {
  const int32_t k = d->filter_h * d->filter_w, out_d = d->out_d;
  int32_t *corr = (int32_t *)(void *)scratch;
  int8_t *wt = scratch + 4 * out_d;
  int8_t *col = wt + ((out_d * k + 3) & ~3);
  for (int32_t m = 0; m < out_d; ++m) {
    for (int32_t t = 0; t < k; ++t) wt[m * k + t] = filter[t * out_d + m];
  }
  mve_gemm_corr(wt, k, out_d, bias, d->input_offset, corr);
  tfm_conv_data c = *d;
  c.filter_d = 1;
  const mve_out_params p = {corr, d->multiplier, d->shift, d->output_offset, d->act_min,
                            d->act_max};
  mve_conv_cols(&c, in, wt, &p, col, out);
}

/* corr[o] = bias[o] + offset * sum of the nine weights of channel o. */
static void mve_dw_corr(const TfmDepthwiseConv2DData *d, const int8_t *filter,
                        const int32_t *bias, int32_t *corr) {
  const int32_t out_d = d->out_d;
  for (int32_t o = 0; o < out_d; o += 4) {
    const mve_pred16_t p = vctp32q((uint32_t)(out_d - o));
    int32x4_t s = vdupq_n_s32(0);
    for (int32_t t = 0; t < 9; ++t) s = vaddq_s32(s, vldrbq_z_s32(filter + t * out_d + o, p));
    const int32x4_t b = bias ? vldrwq_z_s32(bias + o, p) : vdupq_n_s32(0);
    vstrwq_p_s32(corr + o, vmlaq_n_s32(b, s, d->input_offset), p);
  }
}

/* Output pixels ox0..ox1-1 of one output row whose 3x3 windows lie in the
 * image (top: the window's first input row). Eight channels per step in
 * int16 lanes: VLDRB.S16 loads eight inputs and eight weights, VMULLB /
 * VMULLT form the exact products of the even and odd channels in int32
 * lanes (the input offset is in corr), VADD accumulates them; each half is
 * rescaled (its per-channel parameters gathered once per row) and VMOVNB /
 * VMOVNT put the two halves back in channel order for one byte store. A last
 * group of four channels takes int32 lanes; the rest (< 4) the generic path. */
/* The nine taps of eight channels (inputs x, weights w, both c bytes apart
 * along a row; next input row at + row_skip after three taps): *ae += the even
 * channels' products, *ao += the odd ones'. Inline assembly: GCC 12 spills the
 * accumulators inside this loop; here every tap is two loads, two widening
 * multiplies, two adds and two pointer steps. */
#define MVE_DW_TAP                             \
  "vldrb.s16 %q[t0], [%[x]]\n\t"                \
  "vldrb.s16 %q[t1], [%[w]]\n\t"                \
  "add %[x], %[x], %[c]\n\t"                    \
  "add %[w], %[w], %[c]\n\t"                    \
  "vmullb.s16 %q[t2], %q[t0], %q[t1]\n\t"       \
  "vadd.i32 %q[ae], %q[ae], %q[t2]\n\t"         \
  "vmullt.s16 %q[t2], %q[t0], %q[t1]\n\t"       \
  "vadd.i32 %q[ao], %q[ao], %q[t2]\n\t"

MVE_INLINE void mve_dw_3x3_taps16(const int8_t *x, const int8_t *w, int32_t c, int32_t row_skip,
                                  int32x4_t *ae, int32x4_t *ao) {
  int32x4_t e = *ae, o = *ao;
  int16x8_t t0, t1;
  int32x4_t t2;
  __asm__(MVE_DW_TAP MVE_DW_TAP MVE_DW_TAP "add %[x], %[x], %[r]\n\t"
          MVE_DW_TAP MVE_DW_TAP MVE_DW_TAP "add %[x], %[x], %[r]\n\t"
          MVE_DW_TAP MVE_DW_TAP MVE_DW_TAP
          : [ae] "+w"(e), [ao] "+w"(o), [t0] "=&w"(t0), [t1] "=&w"(t1), [t2] "=&w"(t2),
            [x] "+l"(x), [w] "+l"(w) /* widening VLDRB needs r0-r7 */
          : [c] "r"(c), [r] "r"(row_skip)
          : "memory");
  *ae = e, *ao = o;
}

/* Whether every output channel's shift is < 0 (a right shift: the usual). */
static bool mve_dw_all_right(const TfmDepthwiseConv2DData *d) {
  for (int32_t o = 0; o < d->out_d; ++o) {
    if (d->shift[o] >= 0) return false;
  }
  return true;
}

/* Pixels ox0..ox1-1 of eight channels (x: the first window's input + o). */
static inline __attribute__((always_inline)) void mve_dw_3x3_px8(
    const TfmDepthwiseConv2DData *d, const int8_t *x, int32_t row, const int8_t *w, int32x4_t ce,
    int32x4_t co, const mve_rq4 *qe, const mve_rq4 *qo, int32_t ox0, int32_t ox1, int8_t *y,
    const bool right) {
  const int32_t c = d->out_d, step = d->stride_w * c;
  const int32_t out_offset = d->output_offset, lo = d->act_min, hi = d->act_max;
  y += ox0 * c;
  for (int32_t ox = ox0; ox < ox1; ++ox, x += step, y += c) {
    int32x4_t ae = ce, ao = co;
    mve_dw_3x3_taps16(x, w, c, row - 3 * c, &ae, &ao);
    const int32x4_t re = MVE_RQ4_OUT(right, qe, ae, out_offset, lo, hi);
    const int32x4_t ro = MVE_RQ4_OUT(right, qo, ao, out_offset, lo, hi);
    vstrbq_s16(y, vmovntq_s32(vmovnbq_s32(vdupq_n_s16(0), re), ro));
  }
}

static MVE_NOINLINE void mve_dw_3x3_row(const TfmDepthwiseConv2DData *d, const int8_t *x_first,
                                        int32_t row, const int8_t *filter, const int32_t *corr,
                                        bool all_right, int32_t ox0, int32_t ox1,
                                        int8_t *out_row) {
  const int32_t c = d->out_d, step = d->stride_w * c;
  const int32_t full8 = c & ~7, full4 = c & ~3;
  const int32_t out_offset = d->output_offset, lo = d->act_min, hi = d->act_max;
  const uint32x4_t even = vidupq_n_u32(0, 2); /* lanes 0, 2, 4, 6 */
  for (int32_t o = 0; o < full8; o += 8) {
    const int32x4_t ce = vldrwq_gather_shifted_offset_s32(corr + o, even);
    const int32x4_t co = vldrwq_gather_shifted_offset_s32(corr + o + 1, even);
    if (all_right) { /* every shift < 0 (checked once per eval): multiplier and shift only */
      mve_rq4 qe, qo;
      qe.mult = vldrwq_gather_shifted_offset_s32(d->multiplier + o, even);
      qe.right = vldrbq_gather_offset_s32(d->shift + o, even);
      qo.mult = vldrwq_gather_shifted_offset_s32(d->multiplier + o + 1, even);
      qo.right = vldrbq_gather_offset_s32(d->shift + o + 1, even);
      mve_dw_3x3_px8(d, x_first + o, row, filter + o, ce, co, &qe, &qo, ox0, ox1, out_row + o,
                     true);
      continue;
    }
    const mve_rq4 qe = mve_rq4_make(vldrwq_gather_shifted_offset_s32(d->multiplier + o, even),
                                    vldrbq_gather_offset_s32(d->shift + o, even));
    const mve_rq4 qo = mve_rq4_make(
        vldrwq_gather_shifted_offset_s32(d->multiplier + o + 1, even),
        vldrbq_gather_offset_s32(d->shift + o + 1, even));
    if (mve_rq4_all_right(&qe) && mve_rq4_all_right(&qo)) {
      mve_dw_3x3_px8(d, x_first + o, row, filter + o, ce, co, &qe, &qo, ox0, ox1, out_row + o,
                     true);
    } else {
      mve_dw_3x3_px8(d, x_first + o, row, filter + o, ce, co, &qe, &qo, ox0, ox1, out_row + o,
                     false);
    }
  }
  if (full8 < full4) { /* one group of four channels */
    const int32_t o = full8;
    const mve_rq4 q = mve_rq4_make(vldrwq_s32(d->multiplier + o), vldrbq_s32(d->shift + o));
    const int32x4_t c0 = vldrwq_s32(corr + o);
    const int8_t *x = x_first + o;
    int8_t *y = out_row + ox0 * c + o;
    for (int32_t ox = ox0; ox < ox1; ++ox, x += step, y += c) {
      int32x4_t a = c0;
      const int8_t *xr = x, *w = filter + o;
      for (int32_t r = 0; r < 3; ++r, xr += row, w += 3 * c) {
        a = vaddq_s32(a, vmulq_s32(vldrbq_s32(xr), vldrbq_s32(w)));
        a = vaddq_s32(a, vmulq_s32(vldrbq_s32(xr + c), vldrbq_s32(w + c)));
        a = vaddq_s32(a, vmulq_s32(vldrbq_s32(xr + 2 * c), vldrbq_s32(w + 2 * c)));
      }
      vstrbq_s32(y, mve_rq4_out(&q, a, out_offset, lo, hi));
    }
  }
}

/* Multiplier 1, any window: channels [0, out_d & ~7) of one output pixel
 * over its in-image taps (rows x cols from input ip, weights wp), eight
 * channels per step in int16 lanes: the input offset added to every input
 * (|x + offset| <= 255, so the VMULLB / VMULLT products stay exact), the
 * halves rescaled with gathered per-channel parameters and put back in
 * channel order (VMOVNB / VMOVNT). Border pixels of the 3x3 path and every
 * pixel of other windows. */
static MVE_NOINLINE void mve_dw_pixel16(const TfmDepthwiseConv2DData *d, const int8_t *ip,
                                        const int8_t *wp, int32_t rows, int32_t cols,
                                        const int32_t *bias, int8_t *out) {
  const int32_t c = d->out_d, full8 = c & ~7;
  const int32_t row_step = d->dilation_h * d->in_w * c, col_step = d->dilation_w * c;
  const int32_t w_row = d->filter_w * c;
  const int16_t offset = (int16_t)d->input_offset;
  const uint32x4_t even = vidupq_n_u32(0, 2); /* lanes 0, 2, 4, 6 */
  for (int32_t o = 0; o < full8; o += 8) {
    int32x4_t ae = vdupq_n_s32(0), ao = vdupq_n_s32(0);
    if (bias) {
      ae = vldrwq_gather_shifted_offset_s32(bias + o, even);
      ao = vldrwq_gather_shifted_offset_s32(bias + o + 1, even);
    }
    for (int32_t r = 0; r < rows; ++r) {
      const int8_t *x = ip + r * row_step + o, *w = wp + r * w_row + o;
      for (int32_t t = 0; t < cols; ++t, x += col_step, w += c) {
        const int16x8_t xv = vaddq_n_s16(vldrbq_s16(x), offset), wv = vldrbq_s16(w);
        ae = vaddq_s32(ae, vmullbq_int_s16(xv, wv));
        ao = vaddq_s32(ao, vmulltq_int_s16(xv, wv));
      }
    }
    const mve_rq4 qe = mve_rq4_make(vldrwq_gather_shifted_offset_s32(d->multiplier + o, even),
                                    vldrbq_gather_offset_s32(d->shift + o, even));
    const mve_rq4 qo = mve_rq4_make(
        vldrwq_gather_shifted_offset_s32(d->multiplier + o + 1, even),
        vldrbq_gather_offset_s32(d->shift + o + 1, even));
    const int32x4_t re = mve_rq4_out(&qe, ae, d->output_offset, d->act_min, d->act_max);
    const int32x4_t ro = mve_rq4_out(&qo, ao, d->output_offset, d->act_min, d->act_max);
    vstrbq_s16(out + o, vmovntq_s32(vmovnbq_s32(vdupq_n_s16(0), re), ro));
  }
}

/* Sum over the in-image taps of one pixel for outputs o..o+3 (all four
 * exist: no predicate, which GCC 12 spends a VMRS/VMSR pair and a VPST on per
 * load). ip = the first tap's input pixel, wp = its weights of output o. */
static inline __attribute__((always_inline)) int32x4_t mve_dw_taps(
    const int8_t *ip, const int8_t *wp, int32_t rows, int32_t cols, int32_t row_step,
    int32_t col_step, int32_t w_row_step, int32_t out_d, const bool gather_x, uint32x4_t gather,
    int32x4_t offset, int32x4_t acc) {
  for (int32_t r = 0; r < rows; ++r, ip += row_step, wp += w_row_step) {
    const int8_t *x = ip, *w = wp;
    for (int32_t c = 0; c < cols; ++c, x += col_step, w += out_d) {
      const int32x4_t xv = gather_x ? vldrbq_gather_offset_s32(x, gather) : vldrbq_s32(x);
      acc = vaddq_s32(acc, vmulq_s32(vaddq_s32(xv, offset), vldrbq_s32(w)));
    }
  }
  return acc;
}

static TFM_MVE_HOT void mve_dw_s8(const TfmDepthwiseConv2DData *d, const int8_t *in,
                                  const int8_t *filter, const int32_t *bias,
                                  const int32_t *corr, int8_t *out) {
  const int32_t in_d = d->in_d, out_d = d->out_d, dm = d->depth_multiplier;
  const int32_t fw = d->filter_w, dil_h = d->dilation_h, dil_w = d->dilation_w;
  const int32_t row = d->in_w * in_d, full = out_d & ~3;
  const int32x4_t offset = vdupq_n_s32(d->input_offset);
  const bool all_right = corr != NULL && mve_dw_all_right(d);
  for (int32_t b = 0; b < d->batches; ++b) {
    const int8_t *in_b = in + b * d->in_h * row;
    for (int32_t oy = 0; oy < d->out_h; ++oy) {
      const int32_t y0 = oy * d->stride_h - d->padding.height;
      int32_t fy0, fy1;
      tfm_conv_tap_range(y0, dil_h, d->in_h, d->filter_h, &fy0, &fy1);
      /* 3x3 fast path: the output columns whose windows lie in the image */
      int32_t ox0 = 0, ox1 = 0;
      if (corr != NULL && fy0 == 0 && fy1 == 3) {
        const int32_t sw = d->stride_w, pw = d->padding.width;
        ox0 = (pw + sw - 1) / sw;
        ox1 = d->in_w - 3 + pw >= 0 ? (d->in_w - 3 + pw) / sw + 1 : 0;
        if (ox1 > d->out_w) ox1 = d->out_w;
        if (ox1 > ox0) {
          mve_dw_3x3_row(d, in_b + y0 * row + (ox0 * sw - pw) * in_d, row, filter, corr,
                         all_right, ox0, ox1, out);
        } else {
          ox1 = ox0;
        }
      }
      for (int32_t ox = 0; ox < d->out_w; ++ox, out += out_d) {
        if (ox == ox0 && ox1 > ox0 && full == out_d) { /* all done by mve_dw_3x3_row */
          out += (ox1 - 1 - ox) * out_d;
          ox = ox1 - 1;
          continue;
        }
        const int32_t x0 = ox * d->stride_w - d->padding.width;
        int32_t fx0, fx1;
        tfm_conv_tap_range(x0, dil_w, d->in_w, fw, &fx0, &fx1);
        const int32_t rows = fy1 - fy0, cols = fx1 > fx0 ? fx1 - fx0 : 0;
        /* in-image taps only: no pointer outside the tensors */
        const int8_t *ip = in_b + (y0 + fy0 * dil_h) * row + (x0 + fx0 * dil_w) * in_d;
        const int8_t *wp = filter + (fy0 * fw + fx0) * out_d;
        int32_t o = 0;
        if (ox >= ox0 && ox < ox1) {
          o = full; /* done by mve_dw_3x3_row */
        } else if (dm == 1 && out_d >= 8) {
          mve_dw_pixel16(d, ip, wp, rows, cols, bias, out);
          o = out_d & ~7;
        }
        for (; o < out_d; o += 4) {
          /* lane i reads input channel (o + i) / dm: offsets of a gather */
          uint32x4_t gather = vdupq_n_u32(0);
          if (dm != 1) {
            uint32_t g[4];
            for (int32_t i = 0; i < 4; ++i) g[i] = (uint32_t)((o + i) / dm);
            gather = vldrwq_u32(g);
          }
          int32x4_t acc;
          if (o < full) {
            acc = bias ? vldrwq_s32(bias + o) : vdupq_n_s32(0);
            if (dm == 1) {
              acc = mve_dw_taps(ip + o, wp + o, rows, cols, dil_h * row, dil_w * in_d, fw * out_d,
                                out_d, false, gather, offset, acc);
            } else {
              acc = mve_dw_taps(ip, wp + o, rows, cols, dil_h * row, dil_w * in_d, fw * out_d,
                                out_d, true, gather, offset, acc);
            }
            const mve_rq4 q = mve_rq4_make(vldrwq_s32(d->multiplier + o), vldrbq_s32(d->shift + o));
            const int32x4_t r = mve_rq4_out(&q, acc, d->output_offset, d->act_min, d->act_max);
            vstrbq_s32(out + o, r);
            continue;
          }
          /* the last out_d % 4 outputs: predicated (lanes off load and store nothing) */
          const mve_pred16_t p = vctp32q((uint32_t)(out_d - o));
          acc = bias ? vldrwq_z_s32(bias + o, p) : vdupq_n_s32(0);
          for (int32_t r = 0; r < rows; ++r) {
            const int8_t *x = ip + r * dil_h * row, *w = wp + r * fw * out_d + o;
            for (int32_t c = 0; c < cols; ++c, x += dil_w * in_d, w += out_d) {
              const int32x4_t xv = dm == 1 ? vldrbq_z_s32(x + o, p)
                                           : vldrbq_gather_offset_z_s32(x, gather, p);
              acc = vaddq_s32(acc, vmulq_s32(vaddq_s32(xv, offset), vldrbq_z_s32(w, p)));
            }
          }
          const mve_rq4 q = mve_rq4_make(vldrwq_z_s32(d->multiplier + o, p),
                                         vldrbq_z_s32(d->shift + o, p));
          const int32x4_t r = mve_rq4_out(&q, acc, d->output_offset, d->act_min, d->act_max);
          vstrbq_p_s32(out + o, r, p);
        }
      }
    }
  }
}

/* Input row y (any, out of the image: all padding) as one padded row. */
static void mve_dw_pad_row(const TfmDepthwiseConv2DData *d, const int8_t *in_b, int32_t y,
                           int8_t *dst) {
  const int32_t c = d->out_d, wp = mve_dw_pad_w(d), pw = d->padding.width;
  const int8_t zp = (int8_t)(-d->input_offset);
  if (y < 0 || y >= d->in_h) {
    mve_fill(dst, zp, wp * c);
    return;
  }
  const int32_t left = pw < wp ? pw : wp;
  int32_t copy = d->in_w < wp - left ? d->in_w : wp - left;
  if (copy < 0) copy = 0;
  mve_fill(dst, zp, left * c);
  mve_copy(dst + left * c, in_b + y * d->in_w * c, copy * c);
  mve_fill(dst + (left + copy) * c, zp, (wp - left - copy) * c);
}

static MVE_NOINLINE void mve_dw_3x3_padded(const TfmDepthwiseConv2DData *d, const int8_t *in,
                                           const int8_t *filter, const int32_t *corr,
                                           int8_t *pad, int8_t *out) {
  const int32_t c = d->out_d, slot = mve_dw_pad_w(d) * c, ph = d->padding.height;
  const int32_t out_row = d->out_w * c;
  const bool all_right = mve_dw_all_right(d);
  for (int32_t b = 0; b < d->batches; ++b) {
    const int8_t *in_b = in + b * d->in_h * d->in_w * c;
    for (int32_t oy = 0; oy < d->out_h; ++oy, out += out_row) {
      const int32_t y0 = oy * d->stride_h - ph;
      const int8_t *top = pad;
      if (d->stride_h == 1) {
        const int32_t s = (y0 + ph) % 3; /* y0 + ph = oy >= 0 */
        for (int32_t r = oy == 0 ? 0 : 2; r < 3; ++r) {
          const int32_t t = (s + r) % 3;
          mve_dw_pad_row(d, in_b, y0 + r, pad + t * slot);
          if (t < 2) mve_copy(pad + (t + 3) * slot, pad + t * slot, slot);
        }
        top = pad + s * slot;
      } else {
        for (int32_t r = 0; r < 3; ++r) mve_dw_pad_row(d, in_b, y0 + r, pad + r * slot);
      }
      mve_dw_3x3_row(d, top, slot, filter, corr, all_right, 0, d->out_w, out);
    }
  }
}

static tfm_status mve_dw_eval(tfm_context *ctx, tfm_node *node) {
  const TfmDepthwiseConv2DData *d = (const TfmDepthwiseConv2DData *)node->data;
  const tfm_tensor *in = tfm_input(ctx, node, 0);
  if (in->type != TFM_INT8) return tfm_depthwise_conv_2d_eval_reference(ctx, node);
  const tfm_tensor *bias_t = node->num_inputs == 3 ? tfm_input(ctx, node, 2) : NULL;
  const int32_t *bias = bias_t ? (const int32_t *)bias_t->data : NULL;
  const int8_t *x = (const int8_t *)in->data;
  const int8_t *filter = (const int8_t *)tfm_input(ctx, node, 1)->data;
  int8_t *out = (int8_t *)tfm_output(ctx, node, 0)->data;
  if (d->in_d == 1) {
    int8_t *scratch = (int8_t *)tfm_scratch(ctx, d->scratch_index);
    TFM_ENSURE(ctx, scratch != NULL);
    mve_dw_as_conv(d, x, filter, bias, scratch, out);
    return TFM_OK;
  }
  int32_t *corr = NULL;
  if (mve_dw_3x3(d)) {
    corr = (int32_t *)tfm_scratch(ctx, d->scratch_index);
    TFM_ENSURE(ctx, corr != NULL);
    mve_dw_corr(d, filter, bias, corr);
    if (mve_dw_padded(d)) {
      mve_dw_3x3_padded(d, x, filter, corr, (int8_t *)(corr + d->out_d), out);
      return TFM_OK;
    }
  }
  mve_dw_s8(d, x, filter, bias, corr, out);
  return TFM_OK;
}

const tfm_kernel *tfm_register_depthwise_conv_2d(void) {
  static const tfm_kernel kernel =
      TFM_BUILTIN_KERNEL(DEPTHWISE_CONV_2D, mve_dw_prepare, mve_dw_eval);
  return &kernel;
}
