/* arm-mve CONV_2D: replaces kernels/reference/conv_2d.c in kernel set
 * "arm-mve".
 *
 * Prepare, float32, 16x8 and grouped int8 convolutions are the shared ones of
 * common/conv_2d.h. int8 with groups == 1 runs here, four output channels at
 * a time on MVE dot products, rescaled together by MVE (mve_dot.h):
 *  - 1x1, stride 1, no padding: straight on the input pixel (no im2col);
 *  - otherwise each pixel's patch is first copied as raw int8 into a scratch
 *    column of k = fh * fw * in_d bytes, padding taps set to the input zero
 *    point (so that x + offset = 0 there: the reference's skipped taps). */
#include <string.h>

#include "common/conv_2d.h"
#include "common/ops.h"
#include "internal/rq.h"
#include "mve_dot.h"
#include "tfm/kernels.h"

static bool mve_conv_fast(const TfmConv2DData *d, const tfm_tensor *in) {
  return in->type == TFM_INT8 && d->groups == 1;
}

static bool mve_pointwise(const TfmConv2DData *d) {
  return d->filter_h == 1 && d->filter_w == 1 && d->stride_h == 1 && d->stride_w == 1 &&
         d->padding.height == 0 && d->padding.width == 0;
}

static tfm_status mve_conv_prepare(tfm_context *ctx, tfm_node *node) {
  TFM_TRY(tfm_conv_2d_prepare(ctx, node));
  TfmConv2DData *d = (TfmConv2DData *)node->data;
  if (!mve_conv_fast(d, tfm_input(ctx, node, 0)) || mve_pointwise(d)) return TFM_OK;
  const int32_t k = d->filter_h * d->filter_w * d->filter_d;
  return tfm_request_scratch(ctx, (size_t)k, &d->scratch_index);
}

/* The patch of output pixel (oy, ox) into col (k bytes, in filter order). */
static void mve_im2col(const TfmConv2DData *d, const int8_t *in_b, int32_t oy, int32_t ox,
                       int8_t *col) {
  const int32_t in_d = d->in_d, fw = d->filter_w;
  const int8_t pad = (int8_t)(-d->input_offset); /* the zero point */
  const int32_t y0 = oy * d->stride_h - d->padding.height;
  const int32_t x0 = ox * d->stride_w - d->padding.width;
  for (int32_t fy = 0; fy < d->filter_h; ++fy) {
    const int32_t y = y0 + fy * d->dilation_h;
    for (int32_t fx = 0; fx < fw; ++fx, col += in_d) {
      const int32_t x = x0 + fx * d->dilation_w;
      if (y < 0 || y >= d->in_h || x < 0 || x >= d->in_w) {
        memset(col, pad, (size_t)in_d);
      } else {
        memcpy(col, in_b + (y * d->in_w + x) * in_d, (size_t)in_d);
      }
    }
  }
}

static int8_t mve_out(const TfmConv2DData *d, int32_t oc, int32_t acc) {
  const tfm_rq q = tfm_rq_make(d->multiplier[oc], d->shift[oc]);
  return (int8_t)tfm_rq_out(q, acc, d->output_offset, d->act_min, d->act_max);
}

/* All output channels of one pixel whose patch (k values) is at x: four at a
 * time (two dot pairs, one vector rescale), then the rest one or two. */
static void mve_pixel(const TfmConv2DData *d, const int8_t *filter, const int32_t *bias,
                      const int8_t *x, int32_t k, int8_t *out) {
  int32_t oc = 0;
  for (; oc + 4 <= d->out_d; oc += 4) {
    int32_t acc[4] = {0, 0, 0, 0};
    if (bias) {
      acc[0] = bias[oc], acc[1] = bias[oc + 1], acc[2] = bias[oc + 2], acc[3] = bias[oc + 3];
    }
    const int8_t *w = filter + oc * k;
    mve_dot2_s8(w, w + k, x, k, d->input_offset, acc);
    mve_dot2_s8(w + 2 * k, w + 3 * k, x, k, d->input_offset, acc + 2);
    const int32x4_t r = mve_requant4(vldrwq_s32(acc), vldrwq_s32(d->multiplier + oc),
                                     vldrbq_s32(d->shift + oc), d->output_offset, d->act_min,
                                     d->act_max);
    vstrbq_s32(out + oc, r); /* the four int8 outputs */
  }
  for (; oc + 2 <= d->out_d; oc += 2) {
    int32_t acc[2] = {bias ? bias[oc] : 0, bias ? bias[oc + 1] : 0};
    mve_dot2_s8(filter + oc * k, filter + (oc + 1) * k, x, k, d->input_offset, acc);
    out[oc] = mve_out(d, oc, acc[0]);
    out[oc + 1] = mve_out(d, oc + 1, acc[1]);
  }
  if (oc < d->out_d) {
    out[oc] = mve_out(d, oc, mve_dot_s8(filter + oc * k, x, k, d->input_offset,
                                        bias ? bias[oc] : 0));
  }
}

static tfm_status mve_conv_eval(tfm_context *ctx, tfm_node *node) {
  const TfmConv2DData *d = (const TfmConv2DData *)node->data;
  const tfm_tensor *in = tfm_input(ctx, node, 0);
  if (!mve_conv_fast(d, in)) return tfm_conv_2d_eval_reference(ctx, node);
  const int8_t *filter = (const int8_t *)tfm_input(ctx, node, 1)->data;
  const tfm_tensor *bias_t = node->num_inputs == 3 ? tfm_input(ctx, node, 2) : NULL;
  const int32_t *bias = bias_t ? (const int32_t *)bias_t->data : NULL;
  int8_t *out = (int8_t *)tfm_output(ctx, node, 0)->data;
  const int8_t *x = (const int8_t *)in->data;
  const int32_t k = d->filter_h * d->filter_w * d->filter_d;
  if (mve_pointwise(d)) {
    const int32_t pixels = d->batches * d->out_h * d->out_w;
    for (int32_t px = 0; px < pixels; ++px, x += k, out += d->out_d) {
      mve_pixel(d, filter, bias, x, k, out);
    }
    return TFM_OK;
  }
  int8_t *col = (int8_t *)tfm_scratch(ctx, d->scratch_index);
  TFM_ENSURE(ctx, col != NULL);
  for (int32_t b = 0; b < d->batches; ++b) {
    const int8_t *in_b = x + b * d->in_h * d->in_w * d->in_d;
    for (int32_t oy = 0; oy < d->out_h; ++oy) {
      for (int32_t ox = 0; ox < d->out_w; ++ox, out += d->out_d) {
        mve_im2col(d, in_b, oy, ox, col);
        mve_pixel(d, filter, bias, col, k, out);
      }
    }
  }
  return TFM_OK;
}

const tfm_kernel *tfm_register_conv_2d(void) {
  static const tfm_kernel kernel = TFM_BUILTIN_KERNEL(CONV_2D, mve_conv_prepare, mve_conv_eval);
  return &kernel;
}
