/* arm-dsp DEPTHWISE_CONV_2D with one input channel (see depthwise_conv_2d.c). */
#include "common/conv_common.h"
#include "dsp_dw.h"

/* ---- one input channel: a convolution over fh * fw taps ------------------ */

/* Rows of 4 * groups taps (whole groups of the column format) from src,
 * row_step apart, into slot `pixel` of the column pair from group 0 on. */
static TFM_DSP_HOT void dsp_dw_rows(dsp_word *dst, const int8_t *src, int32_t rows,
                                    int32_t groups, int32_t row_step, int32_t offset2) {
  for (; rows > 0; --rows, src += row_step) {
    const int8_t *s = src;
    for (int32_t g = groups; g > 0; --g, s += 4, dst += 4) {
      const int32_t v = dsp_load4(s);
      dst[0] = dsp_ext02(offset2, v);
      dst[1] = dsp_ext13(offset2, v);
    }
  }
}

static void dsp_dw_im2col(const TfmDepthwiseConv2DData *d, const int8_t *in_b, int32_t oy,
                          int32_t ox, int16_t *col, int pixel, int32_t k) {
  const int32_t fw = d->filter_w;
  const int32_t y0 = oy * d->stride_h - d->padding.height;
  const int32_t x0 = ox * d->stride_w - d->padding.width;
  int32_t fx0, fx1;
  tfm_conv_tap_range(x0, d->dilation_w, d->in_w, fw, &fx0, &fx1);
  if (fx1 < fx0) fx1 = fx0;
  if (d->dilation_w == 1 && (fw & 3) == 0 && fx0 == 0 && fx1 == fw) {
    /* every filter row in the image along x and a whole number of groups
     * (micro_speech: 10x8, stride 2): rows above / below the image are zeroed,
     * the others unrolled 4 taps per LDR + two SXTAB16 + two STR */
    int32_t fy0, fy1;
    tfm_conv_tap_range(y0, d->dilation_h, d->in_h, d->filter_h, &fy0, &fy1);
    if (fy1 < fy0) fy1 = fy0;
    if (fy0 > 0) dsp_col_zero(col, pixel, 0, fy0 * fw, k);
    dsp_dw_rows((dsp_word *)(col + 2 * fy0 * fw + 4 * pixel),
                in_b + (y0 + fy0 * d->dilation_h) * d->in_w + x0, fy1 - fy0, fw >> 2,
                d->dilation_h * d->in_w, dsp_dup16(d->input_offset));
    if (fy1 < d->filter_h) dsp_col_zero(col, pixel, fy1 * fw, (d->filter_h - fy1) * fw, k);
    return;
  }
  for (int32_t fy = 0; fy < d->filter_h; ++fy) {
    const int32_t y = y0 + fy * d->dilation_h;
    const int32_t pos = fy * fw;
    if (y < 0 || y >= d->in_h || fx0 == fx1) {
      dsp_col_zero(col, pixel, pos, fw, k);
      continue;
    }
    const int8_t *src = in_b + y * d->in_w + x0 + fx0 * d->dilation_w; /* first in-image tap */

    if (fx0 > 0) dsp_col_zero(col, pixel, pos, fx0, k);
    if (d->dilation_w == 1) {
      dsp_col_put(col, pixel, pos + fx0, src, fx1 - fx0, k, d->input_offset);
    } else {
      for (int32_t fx = fx0; fx < fx1; ++fx, src += d->dilation_w) {
        dsp_col_put(col, pixel, pos + fx, src, 1, k, d->input_offset);
      }
    }
    if (fx1 < fw) dsp_col_zero(col, pixel, pos + fx1, fw - fx1, k);
  }
}

void dsp_dw_one_channel(const TfmDepthwiseConv2DData *d, const int8_t *in,
                               const int8_t *filter, const int32_t *bias, int8_t *out,
                               uint8_t *scratch) {
  const dsp_out_params p = {bias, d->multiplier, d->shift, d->output_offset, d->act_min,
                            d->act_max};
  const int32_t k = dsp_dw_taps(d), out_d = d->out_d;
  int16_t *col = (int16_t *)scratch;
  int8_t *wt = (int8_t *)(scratch + dsp_col_bytes(k));
  for (int32_t oc = 0; oc < out_d; ++oc) { /* filter [tap][oc] -> [oc][tap] */
    for (int32_t t = 0; t < k; ++t) wt[oc * k + t] = filter[t * out_d + oc];
  }
  const int32_t pixels = d->out_h * d->out_w;
  for (int32_t b = 0; b < d->batches; ++b) {
    const int8_t *in_b = in + b * d->in_h * d->in_w;
    int32_t oy = 0, ox = 0;
    for (int32_t px = 0; px < pixels; px += 2) {
      dsp_dw_im2col(d, in_b, oy, ox, col, 0, k);
      int8_t *out_b = NULL;
      if (++ox == d->out_w) ox = 0, ++oy;
      if (px + 1 < pixels) {
        dsp_dw_im2col(d, in_b, oy, ox, col, 1, k);
        out_b = out + out_d;
        if (++ox == d->out_w) ox = 0, ++oy;
      } else {
        dsp_col_zero(col, 1, 0, k, k);
      }
      dsp_mat_s8s16(wt, k, out_d, col, &p, out, out_b);
      out += (out_b ? 2 : 1) * out_d;
    }
  }
}

/* One input channel, no scratch: every output pixel's valid taps straight
 * from the input and the [tap][out_d] filter, 8 output channels per pass (the
 * rest one by one): per tap one LDRSB + ADD for the input, one LDR + two
 * SXTB16 per 4 weights, SMLABB / SMLABT per MAC. */
static inline __attribute__((always_inline)) void dsp_dw1_body(
    int8_t *o, const int8_t *x, const int8_t *w, const dsp_dw_row *table, int32_t out_d,
    int32_t nfy, int32_t nfx, int32_t x_row, const int32_t x_col, int32_t w_row, int32_t offset,
    int32_t out_offset) {
  int32_t oc = 0;
  for (; oc + 8 <= out_d; oc += 8) {
    int32_t a0 = table[oc].bias, a1 = table[oc + 1].bias, a2 = table[oc + 2].bias;
    int32_t a3 = table[oc + 3].bias, a4 = table[oc + 4].bias, a5 = table[oc + 5].bias;
    int32_t a6 = table[oc + 6].bias, a7 = table[oc + 7].bias;
    const int8_t *xr = x, *wr = w + oc;
    for (int32_t fy = nfy; fy > 0; --fy, xr += x_row, wr += w_row) {
      const int8_t *xp = xr, *wp = wr;
      for (int32_t fx = nfx; fx > 0; --fx, xp += x_col, wp += out_d) {
        const int32_t v = *xp + offset; /* (x + offset) * w: exact in the 16-bit lanes */
        const int32_t u0 = dsp_load4(wp), u1 = dsp_load4(wp + 4);
        const int32_t p02 = dsp_sx02(u0), p13 = dsp_sx13(u0);
        const int32_t q02 = dsp_sx02(u1), q13 = dsp_sx13(u1);
        a0 = __smlabb(v, p02, a0);
        a2 = __smlabt(v, p02, a2);
        a1 = __smlabb(v, p13, a1);
        a3 = __smlabt(v, p13, a3);
        a4 = __smlabb(v, q02, a4);
        a6 = __smlabt(v, q02, a6);
        a5 = __smlabb(v, q13, a5);
        a7 = __smlabt(v, q13, a7);
      }
    }
    o[oc] = dsp_dw_rq(a0, &table[oc], out_offset);
    o[oc + 1] = dsp_dw_rq(a1, &table[oc + 1], out_offset);
    o[oc + 2] = dsp_dw_rq(a2, &table[oc + 2], out_offset);
    o[oc + 3] = dsp_dw_rq(a3, &table[oc + 3], out_offset);
    o[oc + 4] = dsp_dw_rq(a4, &table[oc + 4], out_offset);
    o[oc + 5] = dsp_dw_rq(a5, &table[oc + 5], out_offset);
    o[oc + 6] = dsp_dw_rq(a6, &table[oc + 6], out_offset);
    o[oc + 7] = dsp_dw_rq(a7, &table[oc + 7], out_offset);
  }
  for (; oc < out_d; ++oc) {
    uint32_t acc = (uint32_t)table[oc].bias;
    for (int32_t fy = 0; fy < nfy; ++fy) {
      for (int32_t fx = 0; fx < nfx; ++fx) {
        acc += (uint32_t)(w[fy * w_row + fx * out_d + oc] * (x[fy * x_row + fx * x_col] + offset));
      }
    }
    o[oc] = dsp_dw_rq((int32_t)acc, &table[oc], out_offset);
  }
}

/* dsp_dw1_body, specialised for undilated rows (one register fewer). */
static TFM_DSP_HOT void dsp_dw1_pixel(int8_t *o, const int8_t *x, const int8_t *w,
                                      const dsp_dw_row *table, int32_t out_d, int32_t nfy,
                                      int32_t nfx, int32_t x_row, int32_t x_col, int32_t w_row,
                                      int32_t offset, int32_t out_offset) {
  if (x_col == 1) {
    dsp_dw1_body(o, x, w, table, out_d, nfy, nfx, x_row, 1, w_row, offset, out_offset);
  } else {
    dsp_dw1_body(o, x, w, table, out_d, nfy, nfx, x_row, x_col, w_row, offset, out_offset);
  }
}

void dsp_dw_one_channel_direct(const TfmDepthwiseConv2DData *d, const int8_t *in,
                                      const int8_t *filter, int8_t *out,
                                      const dsp_dw_row *table) {
  const int32_t out_d = d->out_d, fw = d->filter_w, fh = d->filter_h;
  /* 8 output channels, undilated rows, all on the fast rescale: the pixels
   * with every tap in the image run on dsp_dw1_px8 */
  bool px8 = out_d == 8 && d->dilation_w == 1;
  for (int32_t c = 0; px8 && c < 8; ++c) px8 = table[c].sh >= 0;
  int32_t start[8]; /* bias + input_offset * sum of the channel's weights (stack, not arena) */
  dsp_dw1_args a = {NULL, filter, start, table, NULL, 0, fh, fw,
                    d->dilation_h * d->in_w - fw, d->stride_w};
  int32_t ox_a = 0, ox_b = 0; /* output columns whose taps are all inside along x */
  if (px8) {
    for (int32_t c = 0; c < 8; ++c) {
      uint32_t sum = 0;
      for (int32_t t = 0; t < fh * fw; ++t) sum += (uint32_t)filter[t * 8 + c];
      start[c] = (int32_t)((uint32_t)table[c].bias + (uint32_t)d->input_offset * sum);
    }
    dsp_dw_col_range(-d->padding.width, d->stride_w, d->in_w - fw + 1, d->out_w, &ox_a, &ox_b);
  }
  for (int32_t b = 0; b < d->batches; ++b) {
    const int8_t *in_b = in + b * d->in_h * d->in_w;
    for (int32_t oy = 0; oy < d->out_h; ++oy) {
      const int32_t y0 = oy * d->stride_h - d->padding.height;
      int32_t fy0, fy1;
      tfm_conv_tap_range(y0, d->dilation_h, d->in_h, d->filter_h, &fy0, &fy1);
      const int32_t nfy = fy1 > fy0 ? fy1 - fy0 : 0;
      const bool rows_in = nfy == fh;
      for (int32_t ox = 0; ox < d->out_w; ++ox, out += out_d) {
        const int32_t x0 = ox * d->stride_w - d->padding.width;
        if (px8 && rows_in && ox == ox_a && ox_a < ox_b) { /* the interior run */
          a.x = in_b + (y0 + fy0 * d->dilation_h) * d->in_w + x0;
          a.out = out;
          a.n = ox_b - ox_a;
          dsp_dw1_px8(&a);
          out += (a.n - 1) * out_d;
          ox += a.n - 1;
          continue;
        }
        int32_t fx0, fx1;
        tfm_conv_tap_range(x0, d->dilation_w, d->in_w, fw, &fx0, &fx1);
        const int32_t nfx = nfy && fx1 > fx0 ? fx1 - fx0 : 0;
        /* no tap in the image: bias only, no pointer arithmetic outside the tensors */
        const int8_t *xp = nfx ? in_b + (y0 + fy0 * d->dilation_h) * d->in_w + x0 +
                                     fx0 * d->dilation_w
                               : in_b;
        const int8_t *wp = nfx ? filter + (fy0 * fw + fx0) * out_d : filter;
        dsp_dw1_pixel(out, xp, wp, table, out_d, nfx ? nfy : 0, nfx, d->dilation_h * d->in_w,
                      d->dilation_w, fw * out_d, d->input_offset,
                      d->output_offset);
      }
    }
  }
}

