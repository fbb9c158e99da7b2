/* "opt" DEPTHWISE_CONV_2D: replaces kernels/reference/depthwise_conv_2d.c in
 * kernel set "opt".
 *
 * Prepare and 16x8 are the shared ones of common/depthwise_conv_2d.h (the
 * prepare takes its multipliers from the CONV_S8 offline record when the
 * image has one). float32 with the filter's F32_BFP record runs in block
 * floating point (opt_float.h), per pixel and input channel; without the
 * record, the reference eval. int8 runs here (exactness: opt_gemm.h):
 *  - channel multiplier 1: one channel at a time (its weights, start value
 *    and rescale stay in registers across the whole image). A pixel whose
 *    taps are all in the image starts from bias + offset * sum(w) and
 *    multiplies raw int8 values (3x3 without dilation: fully unrolled);
 *    border pixels sum their in-image taps with the offset added. Maps with
 *    fewer interior than border outputs run the reference eval (faster there).
 *  - multiplier > 1 (e.g. one input channel fanned out, micro_speech): per
 *    input channel, the patches of two pixels form an interleaved column
 *    pair of raw int8 values, padding taps holding the input zero point
 *    (scratch of 2 * fh * fw bytes), multiplied with the channel's dm
 *    filters up to four at a time from start values bias + offset * sum(w)
 *    over all taps (the padding taps' zp * w then cancel: opt_gemm.h). The
 *    start values live in the shared prepare's accumulator row (out_d int32),
 *    which this path does not otherwise use: the arena peak of micro_speech is
 *    its first op's input + output + these scratch buffers. */
#include "common/depthwise_conv_2d.h"
#include "common/ops.h"
#include "opt_float.h"
#include "opt_gemm.h"
#include "tfm/kernels.h"

/* [*lo, *hi): the outputs along one axis whose taps are all inside the input. */
static void dw_interior(int32_t out, int32_t in, int32_t stride, int32_t pad, int32_t taps,
                        int32_t dilation, int32_t *lo, int32_t *hi) {
  int32_t l = (pad + stride - 1) / stride;
  const int32_t last = in - 1 + pad - (taps - 1) * dilation; /* largest interior ox * stride */
  int32_t h = last < 0 ? 0 : last / stride + 1;
  if (h > out) h = out;
  if (l > h) l = h;
  *lo = l;
  *hi = h;
}

/* Multiplier 1 walks each channel over the image and pays per border pixel;
 * when fewer than half the outputs are interior (small feature maps, e.g.
 * MobileNet's 6x6 and 3x3 layers) the reference's pixel-major loop is faster. */
static bool opt_dw_borders_dominate(const TfmDepthwiseConv2DData *d) {
  int32_t x_lo, x_hi, y_lo, y_hi;
  dw_interior(d->out_w, d->in_w, d->stride_w, d->padding.width, d->filter_w, d->dilation_w,
              &x_lo, &x_hi);
  dw_interior(d->out_h, d->in_h, d->stride_h, d->padding.height, d->filter_h, d->dilation_h,
              &y_lo, &y_hi);
  return 2 * (x_hi - x_lo) * (y_hi - y_lo) < d->out_w * d->out_h;
}

/* Float32 with the filter's F32_BFP record (offline prep; rows = output channels,
 * their fh * fw taps): block floating point (opt_float.h). The scratch holds one
 * channel's taps and still serves the reference eval's accumulators. */
static tfm_status opt_dw_float_prepare(tfm_context *ctx, tfm_node *node,
                                       TfmDepthwiseConv2DData *d) {
  const int32_t taps = d->filter_h * d->filter_w;
  const void *rec = NULL;
  uint32_t size = 0;
  TFM_TRY(tfm_offline_data(ctx, node, TFM_OFFLINE_KIND_F32_BFP, &rec, &size));
  if (rec == NULL || taps > OPT_BFP_MAX_DEPTH) return TFM_OK;
  const int32_t *r = (const int32_t *)rec;
  if (size != (uint32_t)(2 + d->out_d * (1 + taps)) * 4u || r[0] != d->out_d || r[1] != taps) {
    return tfm_fail(ctx, TFM_BAD_MODEL, "offline F32_BFP record of %lu B does not fit the "
                    "filter (%ld x %ld)", (unsigned long)size, (long)d->out_d, (long)taps);
  }
  d->kernel_data = r + 2;
  const int32_t n = taps > d->out_d ? taps : d->out_d;
  return tfm_request_scratch(ctx, (size_t)n * sizeof(int32_t), &d->scratch_index);
}

/* Multiplier > 1 keeps two scratch buffers: the shared prepare's accumulator
 * row (d->scratch_index: out_d int32, here the start values) and the column
 * pair, whose index is stored in d->groups (a CONV_2D field that
 * DEPTHWISE_CONV_2D leaves 0) plus 1; 0: the reference eval. */
static int dw_col_index(const TfmDepthwiseConv2DData *d) { return d->groups - 1; }

static tfm_status opt_dw_prepare(tfm_context *ctx, tfm_node *node) {
  TFM_TRY(tfm_depthwise_conv_2d_prepare(ctx, node));
  TfmDepthwiseConv2DData *d = (TfmDepthwiseConv2DData *)node->data;
  const tfm_tensor *in = tfm_input(ctx, node, 0);
  if (OPT_BFP_ENABLED && in->type == TFM_FLOAT32 &&
      (tfm_input(ctx, node, 1)->flags & TFM_TENSOR_CONSTANT)) {
    return opt_dw_float_prepare(ctx, node, d);
  }
  if (in->type != TFM_INT8) return TFM_OK;
  if (d->depth_multiplier != 1) {
    /* padding taps hold the zero point as an int8 (the model loader does not
     * bound it): outside that range, the reference eval */
    if (d->input_offset < -127 || d->input_offset > 128) return TFM_OK;
    int col;
    TFM_TRY(tfm_request_scratch(ctx, (size_t)d->filter_h * d->filter_w * 2, &col));
    d->groups = col + 1;
    return TFM_OK;
  }
  /* the reference eval keeps its own accumulator scratch */
  if (opt_dw_borders_dominate(d)) return TFM_OK;
  /* one output row of sums: in the shared prepare's accumulator row (out_d
   * int32, unused on this path) when it is long enough */
  if (d->out_w <= d->out_d) return TFM_OK;
  return tfm_request_scratch(ctx, (size_t)d->out_w * sizeof(uint32_t), &d->scratch_index);
}

/* One border output: its in-image taps, offset added (the reference's sum). */
static uint32_t dw_border(const TfmDepthwiseConv2DData *d, const int8_t *x_ch, const int8_t *f,
                          int32_t y0, int32_t fy0, int32_t fy1, int32_t ox, uint32_t acc) {
  const int32_t C = d->in_d, fw = d->filter_w, dil_w = d->dilation_w;
  const int32_t x0 = ox * d->stride_w - d->padding.width;
  int32_t fx0, fx1;
  tfm_conv_tap_range(x0, dil_w, d->in_w, fw, &fx0, &fx1);
  for (int32_t fy = fy0; fy < fy1; ++fy) {
    const int8_t *px = x_ch + ((y0 + fy * d->dilation_h) * d->in_w + x0 + fx0 * dil_w) * C;
    const int8_t *fp = f + (fy * fw + fx0) * C;
    for (int32_t fx = fx0; fx < fx1; ++fx, px += dil_w * C, fp += C) {
      acc += (uint32_t)(*fp * (*px + d->input_offset));
    }
  }
  return acc;
}

/* 3 taps of a filter row at p, p + c, p + 2c (raw values). */
#define DW_TAP3(p, c, a, b, e) ((a) * (p)[0] + (b) * (p)[c] + (e) * (p)[2 * (c)])

/* Sums of n interior outputs of one row, 3x3 without dilation: p = the first
 * tap of the first output, step = stride_w * C between outputs. */
static TFM_OPT_HOT void dw_row3x3(const int8_t *p, int32_t C, int32_t row, int32_t step,
                                  const int8_t *f, uint32_t base, uint32_t *acc, int32_t n) {
  const int32_t w0 = f[0], w1 = f[C], w2 = f[2 * C], w3 = f[3 * C], w4 = f[4 * C],
                w5 = f[5 * C], w6 = f[6 * C], w7 = f[7 * C], w8 = f[8 * C];
  for (; n > 0; --n, p += step) {
    const int32_t sum = DW_TAP3(p, C, w0, w1, w2) + DW_TAP3(p + row, C, w3, w4, w5) +
                        DW_TAP3(p + 2 * row, C, w6, w7, w8);
    *acc++ = base + (uint32_t)sum;
  }
}

/* Any other interior outputs (raw values, from base). */
static TFM_OPT_HOT void dw_row_any(const TfmDepthwiseConv2DData *d, const int8_t *p,
                                   const int8_t *f, uint32_t base, uint32_t *acc, int32_t n) {
  const int32_t C = d->in_d, fh = d->filter_h, fw = d->filter_w;
  const int32_t y_step = d->dilation_h * d->in_w * C, x_step = d->dilation_w * C;
  for (; n > 0; --n, p += d->stride_w * C) {
    uint32_t sum = base;
    for (int32_t fy = 0; fy < fh; ++fy) {
      const int8_t *px = p + fy * y_step;
      const int8_t *fp = f + fy * fw * C;
      for (int32_t fx = 0; fx < fw; ++fx, px += x_step, fp += C) sum += (uint32_t)(*fp * *px);
    }
    *acc++ = sum;
  }
}

/* Rescales n sums into outputs o[0], o[o_step], ... */
static TFM_OPT_HOT void dw_store_row(const uint32_t *acc, int32_t n, tfm_rq q,
                                     int32_t out_offset, int32_t act_min, int32_t act_max,
                                     int8_t *o, int32_t o_step) {
  for (; n > 0; --n, o += o_step) {
    *o = (int8_t)tfm_rq_out(q, tfm_wrap_i32(*acc++), out_offset, act_min, act_max);
  }
}

/* Channel ch of every output, one row at a time: the sums into acc (out_w
 * slots), then the rescale (two loops: each keeps its values in registers). */
static void dw_channel_m1(const TfmDepthwiseConv2DData *d, const int8_t *in_b,
                          const int8_t *filter, int32_t ch, uint32_t bias, int8_t *out,
                          int32_t ox_lo, int32_t ox_hi, uint32_t *acc) {
  const int32_t C = d->in_d, fh = d->filter_h, fw = d->filter_w;
  const int32_t row = d->in_w * C, step = d->stride_w * C, o_step = d->out_d;
  const tfm_rq q = tfm_rq_make(d->multiplier[ch], d->shift[ch]);
  const int8_t *f = filter + ch;
  uint32_t wsum = 0;
  for (int32_t t = 0; t < fh * fw; ++t) wsum += (uint32_t)(int32_t)f[t * C];
  const uint32_t base = bias + wsum * (uint32_t)d->input_offset;
  const bool k3 = fh == 3 && fw == 3 && d->dilation_h == 1 && d->dilation_w == 1;
  const int8_t *x_ch = in_b + ch;
  for (int32_t oy = 0; oy < d->out_h; ++oy) {
    const int32_t y0 = oy * d->stride_h - d->padding.height;
    int32_t fy0, fy1;
    tfm_conv_tap_range(y0, d->dilation_h, d->in_h, fh, &fy0, &fy1);
    const bool row_in = fy0 == 0 && fy1 == fh;
    const int32_t lo = row_in ? ox_lo : d->out_w, hi = row_in ? ox_hi : d->out_w;
    for (int32_t ox = 0; ox < lo; ++ox) acc[ox] = dw_border(d, x_ch, f, y0, fy0, fy1, ox, bias);
    if (lo < hi) {
      const int8_t *p = x_ch + (y0 * d->in_w + lo * d->stride_w - d->padding.width) * C;
      if (k3) {
        dw_row3x3(p, C, row, step, f, base, acc + lo, hi - lo);
      } else {
        dw_row_any(d, p, f, base, acc + lo, hi - lo);
      }
    }
    for (int32_t ox = hi; ox < d->out_w; ++ox) {
      acc[ox] = dw_border(d, x_ch, f, y0, fy0, fy1, ox, bias);
    }
    dw_store_row(acc, d->out_w, q, d->output_offset, d->act_min, d->act_max,
                 out + oy * d->out_w * o_step + ch, o_step);
  }
}

/* Raw patch of channel ch of output pixel (oy, ox) into slot `pixel` of col
 * (padding taps: pad, the input zero point). */
static void dw_im2col(const TfmDepthwiseConv2DData *d, const int8_t *x_ch, int32_t oy,
                      int32_t ox, int8_t *col, int pixel, int8_t pad) {
  const int32_t C = d->in_d, fw = d->filter_w, x_step = d->dilation_w * C;
  const int32_t y0 = oy * d->stride_h - d->padding.height;
  const int32_t x0 = ox * d->stride_w - d->padding.width;
  int32_t fx0, fx1;
  tfm_conv_tap_range(x0, d->dilation_w, d->in_w, fw, &fx0, &fx1);
  if (fx1 < fx0) fx1 = fx0;
  int8_t *dst = col + pixel;
  for (int32_t fy = 0; fy < d->filter_h; ++fy) {
    const int32_t y = y0 + fy * d->dilation_h;
    if (y < 0 || y >= d->in_h) {
      for (int32_t fx = 0; fx < fw; ++fx, dst += 2) *dst = pad;
      continue;
    }
    int32_t fx = 0;
    for (; fx < fx0; ++fx, dst += 2) *dst = pad;
    const int8_t *src = x_ch + (y * d->in_w + x0 + fx0 * d->dilation_w) * C;
    for (; fx < fx1; ++fx, dst += 2, src += x_step) *dst = *src;
    for (; fx < fw; ++fx, dst += 2) *dst = pad;
  }
}

/* base[oc] = bias[oc] + input_offset * (sum of output oc's fh * fw weights),
 * modulo 2^32 (the filter is 1HW(C*M): tap-major, channels innermost). */
static void dw_start_values(const TfmDepthwiseConv2DData *d, const int8_t *filter,
                            const int32_t *bias, uint32_t *base) {
  const int32_t taps = d->filter_h * d->filter_w, out_d = d->out_d;
  for (int32_t oc = 0; oc < out_d; ++oc) base[oc] = 0;
  for (int32_t t = 0; t < taps; ++t, filter += out_d) {
    for (int32_t oc = 0; oc < out_d; ++oc) base[oc] += (uint32_t)(int32_t)filter[oc];
  }
  for (int32_t oc = 0; oc < out_d; ++oc) {
    base[oc] = base[oc] * (uint32_t)d->input_offset + (bias ? (uint32_t)bias[oc] : 0u);
  }
}

static void dw_multiplier(const TfmDepthwiseConv2DData *d, const int8_t *in_b,
                          const int8_t *filter, const uint32_t *base, int8_t *out,
                          int8_t *col) {
  const opt_out_params p = {d->multiplier, d->shift, d->output_offset, d->act_min, d->act_max};
  const int32_t taps = d->filter_h * d->filter_w, dm = d->depth_multiplier;
  const int32_t pixels = d->out_h * d->out_w, out_d = d->out_d;
  const int8_t pad = (int8_t)-d->input_offset; /* in range: prepare */
  for (int32_t px = 0; px < pixels; px += 2) {
    const bool two = px + 1 < pixels;
    const int32_t oy = px / d->out_w, ox = px % d->out_w;
    const int32_t oy1 = (px + 1) / d->out_w, ox1 = (px + 1) % d->out_w;
    int8_t *out_a = out + px * out_d;
    for (int32_t c = 0; c < d->in_d; ++c) {
      dw_im2col(d, in_b + c, oy, ox, col, 0, pad);
      if (two) {
        dw_im2col(d, in_b + c, oy1, ox1, col, 1, pad);
      } else {
        for (int32_t t = 0; t < taps; ++t) col[2 * t + 1] = 0; /* ignored, but defined */
      }
      opt_gemm_col2_strided(filter + c * dm, out_d, taps, dm, col, base + c * dm, c * dm, &p,
                            out_a + c * dm, two ? out_a + out_d + c * dm : NULL);
    }
  }
}

/* Float32: per output pixel and input channel its taps in block floating point
 * (padding 0), then one exact dot per output channel of it. false: a non-finite
 * input (the reference eval then redoes the node). */
static bool opt_dw_f32(const TfmDepthwiseConv2DData *d, const float *in, const float *bias,
                       float *out, int32_t *col) {
  const int32_t taps = d->filter_h * d->filter_w, dm = d->depth_multiplier, in_d = d->in_d;
  float *fcol = (float *)(void *)col; /* same size and alignment as int32 */
  const int32_t lo_key = opt_float_key(d->act_min_f), hi_key = opt_float_key(d->act_max_f);
  for (int32_t b = 0; b < d->batches; ++b) {
    const float *in_b = in + b * d->in_h * d->in_w * in_d;
    for (int32_t oy = 0; oy < d->out_h; ++oy) {
      for (int32_t ox = 0; ox < d->out_w; ++ox) {
        const int32_t y0 = oy * d->stride_h - d->padding.height;
        const int32_t x0 = ox * d->stride_w - d->padding.width;
        int32_t fy0, fy1, fx0, fx1;
        tfm_conv_tap_range(y0, d->dilation_h, d->in_h, d->filter_h, &fy0, &fy1);
        tfm_conv_tap_range(x0, d->dilation_w, d->in_w, d->filter_w, &fx0, &fx1);
        /* padding taps: 0 (also once converted), written once per pixel */
        for (int32_t t = 0; t < taps; ++t) col[t] = 0;
        const int32_t *row = (const int32_t *)d->kernel_data;
        for (int32_t ic = 0; ic < in_d; ++ic) {
          for (int32_t fy = fy0; fy < fy1; ++fy) {
            const int32_t pos = (y0 + fy * d->dilation_h) * d->in_w + x0; /* x0 may be < 0 */
            float *dst = fcol + fy * d->filter_w;
            for (int32_t fx = fx0; fx < fx1; ++fx) {
              dst[fx] = in_b[(pos + fx * d->dilation_w) * in_d + ic];
            }
          }
          int32_t ex;
          if (!opt_bfp_exponent(fcol, taps, &ex)) return false;
          opt_bfp_convert(fcol, taps, ex, col);
          for (int32_t m = 0; m < dm; ++m, row += 1 + taps) {
            const int32_t oc = ic * dm + m;
            const float total = opt_bfp_float(opt_bfp_dot(col, row + 1, taps), ex + row[0]);
            *out++ = opt_clamp_f32(total + (bias ? bias[oc] : 0.0f), lo_key, d->act_min_f,
                                   hi_key, d->act_max_f);
          }
        }
      }
    }
  }
  return true;
}

static tfm_status opt_dw_eval(tfm_context *ctx, tfm_node *node) {
  const TfmDepthwiseConv2DData *d = (const TfmDepthwiseConv2DData *)node->data;
  const tfm_tensor *in = tfm_input(ctx, node, 0);
  if (in->type == TFM_FLOAT32 && d->kernel_data != NULL) {
    const tfm_tensor *bias = node->num_inputs == 3 ? tfm_input(ctx, node, 2) : NULL;
    if (opt_dw_f32(d, (const float *)in->data, bias ? (const float *)bias->data : NULL,
                   (float *)tfm_output(ctx, node, 0)->data,
                   (int32_t *)tfm_scratch(ctx, d->scratch_index))) {
      return TFM_OK;
    }
  }
  const bool opt_m1 = d->depth_multiplier == 1 && !opt_dw_borders_dominate(d);
  if (in->type != TFM_INT8 || (!opt_m1 && dw_col_index(d) < 0)) {
    return tfm_depthwise_conv_2d_eval_reference(ctx, node);
  }
  const tfm_tensor *filter = tfm_input(ctx, node, 1);
  const tfm_tensor *bias = node->num_inputs == 3 ? tfm_input(ctx, node, 2) : NULL;
  const int32_t *b = bias ? (const int32_t *)bias->data : NULL;
  const int8_t *x = (const int8_t *)in->data, *w = (const int8_t *)filter->data;
  int8_t *y = (int8_t *)tfm_output(ctx, node, 0)->data;
  const int32_t in_size = d->in_h * d->in_w * d->in_d, out_size = d->out_h * d->out_w * d->out_d;
  void *scratch = tfm_scratch(ctx, d->scratch_index);
  TFM_ENSURE(ctx, scratch != NULL);
  if (!opt_m1) {
    int8_t *col = (int8_t *)tfm_scratch(ctx, dw_col_index(d));
    TFM_ENSURE(ctx, col != NULL);
    dw_start_values(d, w, b, (uint32_t *)scratch);
    for (int32_t n = 0; n < d->batches; ++n, x += in_size, y += out_size) {
      dw_multiplier(d, x, w, (const uint32_t *)scratch, y, col);
    }
    return TFM_OK;
  }
  int32_t ox_lo, ox_hi;
  dw_interior(d->out_w, d->in_w, d->stride_w, d->padding.width, d->filter_w, d->dilation_w,
              &ox_lo, &ox_hi);
  for (int32_t n = 0; n < d->batches; ++n, x += in_size, y += out_size) {
    for (int32_t c = 0; c < d->in_d; ++c) {
      dw_channel_m1(d, x, w, c, b ? (uint32_t)b[c] : 0u, y, ox_lo, ox_hi,
                    (uint32_t *)scratch);
    }
  }
  return TFM_OK;
}

const tfm_kernel *tfm_register_depthwise_conv_2d(void) {
  static const tfm_kernel kernel =
      TFM_BUILTIN_KERNEL(DEPTHWISE_CONV_2D, opt_dw_prepare, opt_dw_eval);
  return &kernel;
}
