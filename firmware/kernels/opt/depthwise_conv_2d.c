/* "opt" DEPTHWISE_CONV_2D: replaces kernels/reference/depthwise_conv_2d.c in
 * kernel set "opt".
 *
 * Prepare, float32 and 16x8 are the shared ones of common/depthwise_conv_2d.h.
 * int8 runs here (exactness: opt_gemm.h):
 *  - channel multiplier 1: one channel at a time (its weights, start value
 *    and rescale stay in registers across the whole image). A pixel whose
 *    taps are all in the image starts from bias + offset * sum(w) and
 *    multiplies raw int8 values (3x3 without dilation: fully unrolled);
 *    border pixels sum their in-image taps with the offset added.
 *  - multiplier > 1 (e.g. one input channel fanned out, micro_speech): per
 *    input channel, the patches of two pixels form an interleaved int16
 *    column pair (scratch of 4 * fh * fw bytes) multiplied with the channel's
 *    dm filters two at a time. */
#include "common/depthwise_conv_2d.h"
#include "common/ops.h"
#include "opt_gemm.h"
#include "tfm/kernels.h"

static tfm_status opt_dw_prepare(tfm_context *ctx, tfm_node *node) {
  TFM_TRY(tfm_depthwise_conv_2d_prepare(ctx, node));
  TfmDepthwiseConv2DData *d = (TfmDepthwiseConv2DData *)node->data;
  if (tfm_input(ctx, node, 0)->type != TFM_INT8 || d->depth_multiplier == 1) return TFM_OK;
  /* replaces the reference's accumulator scratch (unused on this path) */
  const int32_t taps = d->filter_h * d->filter_w;
  return tfm_request_scratch(ctx, (size_t)taps * 2 * sizeof(int16_t), &d->scratch_index);
}

/* 3x3 taps of one interior pixel, raw values: p = its first tap, row = input
 * row stride, c = channel stride, w0..w8 the channel's weights. */
#define DW_TAP3(p, c, a, b, e) ((a) * (p)[0] + (b) * (p)[c] + (e) * (p)[2 * (c)])

static TFM_OPT_HOT void dw_channel_m1(const TfmDepthwiseConv2DData *d, const int8_t *in_b,
                                      const int8_t *filter, int32_t ch, uint32_t bias,
                                      int8_t *out) {
  const int32_t C = d->in_d, fh = d->filter_h, fw = d->filter_w;
  const int32_t dil_h = d->dilation_h, dil_w = d->dilation_w;
  const int32_t row = d->in_w * C;
  const int32_t offset = d->input_offset;
  const tfm_rq q = tfm_rq_make(d->multiplier[ch], d->shift[ch]);
  const int32_t out_offset = d->output_offset, act_min = d->act_min, act_max = d->act_max;
  const int8_t *f = filter + ch;
  uint32_t wsum = 0;
  for (int32_t t = 0; t < fh * fw; ++t) wsum += (uint32_t)(int32_t)f[t * C];
  const uint32_t base = bias + wsum * (uint32_t)offset;
  const bool k3 = fh == 3 && fw == 3 && dil_h == 1 && dil_w == 1;
  int32_t w0 = 0, w1 = 0, w2 = 0, w3 = 0, w4 = 0, w5 = 0, w6 = 0, w7 = 0, w8 = 0;
  if (k3) {
    w0 = f[0], w1 = f[C], w2 = f[2 * C], w3 = f[3 * C], w4 = f[4 * C];
    w5 = f[5 * C], w6 = f[6 * C], w7 = f[7 * C], w8 = f[8 * C];
  }
  const int8_t *x_ch = in_b + ch;
  for (int32_t oy = 0; oy < d->out_h; ++oy) {
    const int32_t y0 = oy * d->stride_h - d->padding.height;
    int32_t fy0, fy1;
    tfm_conv_tap_range(y0, dil_h, d->in_h, fh, &fy0, &fy1);
    int8_t *o = out + oy * d->out_w * d->out_d + ch;
    for (int32_t ox = 0; ox < d->out_w; ++ox, o += d->out_d) {
      const int32_t x0 = ox * d->stride_w - d->padding.width;
      int32_t fx0, fx1;
      tfm_conv_tap_range(x0, dil_w, d->in_w, fw, &fx0, &fx1);
      uint32_t acc;
      if (fy0 == 0 && fy1 == fh && fx0 == 0 && fx1 == fw) {
        const int8_t *p = x_ch + (y0 * d->in_w + x0) * C;
        if (k3) {
          acc = base + (uint32_t)(DW_TAP3(p, C, w0, w1, w2) + DW_TAP3(p + row, C, w3, w4, w5) +
                                  DW_TAP3(p + 2 * row, C, w6, w7, w8));
        } else {
          acc = base;
          for (int32_t fy = 0; fy < fh; ++fy) {
            const int8_t *px = p + fy * dil_h * row;
            const int8_t *fp = f + fy * fw * C;
            for (int32_t fx = 0; fx < fw; ++fx, px += dil_w * C, fp += C) {
              acc += (uint32_t)(*fp * *px);
            }
          }
        }
      } else {
        acc = bias;
        for (int32_t fy = fy0; fy < fy1; ++fy) {
          const int8_t *px = x_ch + ((y0 + fy * dil_h) * d->in_w + x0 + fx0 * dil_w) * C;
          const int8_t *fp = f + (fy * fw + fx0) * C;
          for (int32_t fx = fx0; fx < fx1; ++fx, px += dil_w * C, fp += C) {
            acc += (uint32_t)(*fp * (*px + offset));
          }
        }
      }
      *o = (int8_t)tfm_rq_out(q, tfm_wrap_i32(acc), out_offset, act_min, act_max);
    }
  }
}

/* Patch of channel ch of output pixel (oy, ox) into slot `pixel` of col. */
static void dw_im2col(const TfmDepthwiseConv2DData *d, const int8_t *x_ch, int32_t oy,
                      int32_t ox, int16_t *col, int pixel) {
  const int32_t C = d->in_d;
  const int32_t y0 = oy * d->stride_h - d->padding.height;
  const int32_t x0 = ox * d->stride_w - d->padding.width;
  int16_t *dst = col + pixel;
  for (int32_t fy = 0; fy < d->filter_h; ++fy) {
    const int32_t y = y0 + fy * d->dilation_h;
    const bool row_in = y >= 0 && y < d->in_h;
    for (int32_t fx = 0; fx < d->filter_w; ++fx, dst += 2) {
      const int32_t x = x0 + fx * d->dilation_w;
      *dst = (int16_t)(row_in && x >= 0 && x < d->in_w
                           ? x_ch[(y * d->in_w + x) * C] + d->input_offset
                           : 0);
    }
  }
}

static void dw_multiplier(const TfmDepthwiseConv2DData *d, const int8_t *in_b,
                          const int8_t *filter, const int32_t *bias, int8_t *out,
                          int16_t *col) {
  const opt_out_params p = {d->multiplier, d->shift, d->output_offset, d->act_min, d->act_max};
  const int32_t taps = d->filter_h * d->filter_w, dm = d->depth_multiplier;
  const int32_t pixels = d->out_h * d->out_w, out_d = d->out_d;
  for (int32_t px = 0; px < pixels; px += 2) {
    const bool two = px + 1 < pixels;
    const int32_t oy = px / d->out_w, ox = px % d->out_w;
    const int32_t oy1 = (px + 1) / d->out_w, ox1 = (px + 1) % d->out_w;
    int8_t *out_a = out + px * out_d;
    for (int32_t c = 0; c < d->in_d; ++c) {
      dw_im2col(d, in_b + c, oy, ox, col, 0);
      if (two) {
        dw_im2col(d, in_b + c, oy1, ox1, col, 1);
      } else {
        opt_col_zero(col, 1, 0, taps);
      }
      opt_gemm_col2_strided(filter + c * dm, out_d, taps, dm, col, bias, c * dm, &p,
                            out_a + c * dm, two ? out_a + out_d + c * dm : NULL);
    }
  }
}

static tfm_status opt_dw_eval(tfm_context *ctx, tfm_node *node) {
  const TfmDepthwiseConv2DData *d = (const TfmDepthwiseConv2DData *)node->data;
  const tfm_tensor *in = tfm_input(ctx, node, 0);
  if (in->type != TFM_INT8) return tfm_depthwise_conv_2d_eval_reference(ctx, node);
  const tfm_tensor *filter = tfm_input(ctx, node, 1);
  const tfm_tensor *bias = node->num_inputs == 3 ? tfm_input(ctx, node, 2) : NULL;
  const int32_t *b = bias ? (const int32_t *)bias->data : NULL;
  const int8_t *x = (const int8_t *)in->data, *w = (const int8_t *)filter->data;
  int8_t *y = (int8_t *)tfm_output(ctx, node, 0)->data;
  const int32_t in_size = d->in_h * d->in_w * d->in_d, out_size = d->out_h * d->out_w * d->out_d;
  int16_t *col = NULL;
  if (d->depth_multiplier != 1) {
    col = (int16_t *)tfm_scratch(ctx, d->scratch_index);
    TFM_ENSURE(ctx, col != NULL);
  }
  for (int32_t n = 0; n < d->batches; ++n, x += in_size, y += out_size) {
    if (d->depth_multiplier != 1) {
      dw_multiplier(d, x, w, b, y, col);
      continue;
    }
    for (int32_t c = 0; c < d->in_d; ++c) {
      dw_channel_m1(d, x, w, c, b ? (uint32_t)b[c] : 0u, y);
    }
  }
  return TFM_OK;
}

const tfm_kernel *tfm_register_depthwise_conv_2d(void) {
  static const tfm_kernel kernel =
      TFM_BUILTIN_KERNEL(DEPTHWISE_CONV_2D, opt_dw_prepare, opt_dw_eval);
  return &kernel;
}
