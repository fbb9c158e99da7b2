/* arm-dsp CONV_2D for inputs of 1 to 3 channels (an image's first layer, e.g.
 * MobileNet's 3x3x3 stride 2 or a spectrogram's 10x8x1): the general im2col
 * would gather each pixel's patch from fh short rows of fw * in_d bytes and
 * pad them to whole groups of 4. Here, once per output row, the fh input
 * rows the row reads are interleaved into a strip: window column j holds
 * fh * in_d bytes, (fy, c) order, the input zero point where the tap is
 * padding. A pixel's patch in (fx, fy, c) order is then fw * fh * in_d
 * consecutive strip bytes, unpacked 4 at a time (LDR + two SXTAB16) straight
 * into the column block; the filter is reordered to (fx, fy, c) the same way
 * (rows padded to a multiple of 4 with zero weights: the strip bytes those
 * meet are the next column's, times 0), so every channel runs on the
 * assembly dsp_gemm3_s8 (dsp_gemm3_w16 with the filter as int16 in that order
 * from an offline prep record CONV_W16_STRIP, arm_dsp.h). Same products, same sums: bit-exact (arm_dsp.h).
 * Scratch (after the column block and the table of conv_2d.c): the filter
 * (out_d * kc bytes) and the strip (dsp_strip_bytes). */
#include "dsp_conv.h"

static int32_t dsp_strip_cols(const TfmConv2DData *d) {
  return (d->out_w - 1) * d->stride_w + d->filter_w;
}

static int32_t dsp_strip_bytes(const TfmConv2DData *d) {
  /* + 4: the last pixel's last group reads up to 3 bytes past its patch */
  return (dsp_strip_cols(d) * d->filter_h * d->in_d + 4 + 3) & ~3;
}

static int32_t dsp_strip_filter_bytes(const TfmConv2DData *d) {
  return (d->out_d * dsp_colb_k(d->filter_h * d->filter_w * d->in_d) + 3) & ~3;
}

int32_t dsp_conv_strip_scratch(const TfmConv2DData *d) {
  if (d->in_d > 3 || d->dilation_w != 1 || d->groups != 1) return 0;
  const int32_t filter = dsp_strip_filter_bytes(d), strip = dsp_strip_bytes(d);
  /* bounded: the layer keeps the general path's (smaller) scratch otherwise */
  if (filter > DSP_STRIP_MAX || strip > DSP_STRIP_MAX) return 0;
  return filter + strip;
}

/* The filter [oc][fy][fx][c] as [oc][fx][fy][c], rows kc apart, zero-padded. */
static void dsp_strip_filter(const TfmConv2DData *d, const int8_t *filter, int8_t *w) {
  const int32_t fh = d->filter_h, fw = d->filter_w, cd = d->in_d;
  const int32_t k = fh * fw * cd, kc = dsp_colb_k(k);
  for (int32_t oc = 0; oc < d->out_d; ++oc, filter += k, w += kc) {
    for (int32_t fy = 0; fy < fh; ++fy) {
      for (int32_t fx = 0; fx < fw; ++fx) {
        for (int32_t c = 0; c < cd; ++c) w[(fx * fh + fy) * cd + c] = filter[(fy * fw + fx) * cd + c];
      }
    }
    for (int32_t i = k; i < kc; ++i) w[i] = 0;
  }
}

/* The fh input rows of output row oy (batch image in_b) into the strip. */
static void dsp_strip_fill(const TfmConv2DData *d, const int8_t *in_b, int32_t oy, int8_t *strip) {
  const int32_t fh = d->filter_h, cd = d->in_d, cols = dsp_strip_cols(d), pl = d->padding.width;
  const int32_t col_bytes = fh * cd;
  const int8_t zp = (int8_t)(-d->input_offset);
  /* window columns j with x = j - pl inside the image */
  const int32_t j0 = pl > 0 ? (pl < cols ? pl : cols) : 0;
  int32_t j1 = d->in_w + pl;
  if (j1 > cols) j1 = cols;
  const int32_t y0 = oy * d->stride_h - d->padding.height;
  for (int32_t fy = 0; fy < fh; ++fy) {
    const int32_t y = y0 + fy * d->dilation_h;
    int8_t *dst = strip + fy * cd;
    if (y < 0 || y >= d->in_h || j1 <= j0) {
      for (int32_t j = 0; j < cols; ++j, dst += col_bytes) {
        for (int32_t c = 0; c < cd; ++c) dst[c] = zp;
      }
      continue;
    }
    int32_t j = 0;
    for (; j < j0; ++j, dst += col_bytes) {
      for (int32_t c = 0; c < cd; ++c) dst[c] = zp;
    }
    const int8_t *src = in_b + (y * d->in_w + (j0 - pl)) * cd;
    if (cd == 3) { /* one halfword and one byte per column */
      for (; j < j1; ++j, dst += col_bytes, src += 3) {
        int16_t h;
        __builtin_memcpy(&h, src, 2);
        __builtin_memcpy(dst, &h, 2);
        dst[2] = src[2];
      }
    } else if (cd == 2) {
      for (; j < j1; ++j, dst += col_bytes, src += 2) {
        int16_t h;
        __builtin_memcpy(&h, src, 2);
        __builtin_memcpy(dst, &h, 2);
      }
    } else {
      for (; j < j1; ++j, dst += col_bytes) *dst = *src++;
    }
    for (; j < cols; ++j, dst += col_bytes) {
      for (int32_t c = 0; c < cd; ++c) dst[c] = zp;
    }
  }
}

/* kc strip bytes from src + input offset into pixel slot q of the block. */
static inline void dsp_strip_unpack(int16_t *col, int q, const int8_t *src, int32_t groups,
                                    int32_t offset2) {
  dsp_word *out = (dsp_word *)(col + 4 * q);
  for (; groups > 0; --groups, src += 4, out += 2 * DSP_PIX) {
    const int32_t v = dsp_load4(src);
    out[0] = dsp_ext02(offset2, v);
    out[1] = dsp_ext13(offset2, v);
  }
}

void dsp_conv_strip(const TfmConv2DData *d, const int8_t *in, const int8_t *filter,
                    const int32_t *bias, int8_t *out, uint8_t *scratch, const int8_t *w16) {
  const dsp_out_params p = {bias, d->multiplier, d->shift, d->output_offset, d->act_min,
                            d->act_max};
  const int32_t k = d->filter_h * d->filter_w * d->in_d, kc = dsp_colb_k(k);
  const int32_t out_d = d->out_d, out_w = d->out_w, groups = kc >> 2;
  int16_t *col = (int16_t *)scratch;
  dsp_gemm_row *table = (dsp_gemm_row *)(scratch + dsp_colb_bytes(k));
  int8_t *w = (int8_t *)table + out_d * (int32_t)sizeof(dsp_gemm_row);
  int8_t *strip = w + dsp_strip_filter_bytes(d);
  const bool fast = dsp_gemm_table(table, out_d, &p);
  dsp_strip_filter(d, filter, w);
  const dsp_gemm_args ga0 = {w, table, col, NULL, out_d, groups, out_d, bias, kc};
  const int32_t offset2 = dsp_dup16(d->input_offset);
  const int32_t pix_step = d->stride_w * d->filter_h * d->in_d; /* strip bytes per pixel */
  for (int32_t b = 0; b < d->batches; ++b) {
    const int8_t *in_b = in + b * d->in_h * d->in_w * d->in_d;
    int8_t *out_b = out + b * d->out_h * out_w * out_d;
    for (int32_t oy = 0; oy < d->out_h; ++oy) {
      dsp_strip_fill(d, in_b, oy, strip);
      int8_t *o_row = out_b + oy * out_w * out_d;
      for (int32_t ox = 0; ox < out_w;) {
        int32_t n = out_w - ox < DSP_PIX ? out_w - ox : DSP_PIX;
        if (fast && n < DSP_PIX && out_w >= DSP_PIX) { /* the row's last block again, whole */
          ox = out_w - DSP_PIX;
          n = DSP_PIX;
        }
        for (int q = 0; q < DSP_PIX; ++q) {
          if (q < n) {
            dsp_strip_unpack(col, q, strip + (ox + q) * pix_step, groups, offset2);
          } else {
            dsp_colb_zero(col, q, 0, kc); /* keep the unused slots defined */
          }
        }
        int8_t *const o = o_row + ox * out_d;
        if (fast && n == DSP_PIX) {
          dsp_gemm_args ga = ga0;
          ga.out = o;
          if (w16 != NULL) {
            ga.w = w16;
            dsp_gemm3_w16(&ga);
          } else {
            dsp_gemm3_s8(&ga);
          }
        } else {
          dsp_matb(w, kc, out_d, col, &p, o, n, out_d);
        }
        ox += n;
      }
    }
  }
}
