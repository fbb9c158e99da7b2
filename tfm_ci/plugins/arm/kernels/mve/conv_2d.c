/* arm-mve CONV_2D: replaces kernels/reference/conv_2d.c in kernel set
 * "arm-mve".
 *
 * Prepare, float32, 16x8 and grouped int8 convolutions are the shared ones of
 * common/conv_2d.h. int8 with groups == 1 is a matrix product on MVE
 * (mve_gemm.h: four output channels of two pixels per pass, input offset
 * folded into a per-channel correction computed once per eval in scratch):
 *  - 1x1 filters without padding (any stride): straight on the input pixels,
 *    one output row at a time (no im2col);
 *  - otherwise two pixels' patches are first copied as raw int8 into a
 *    scratch column pair of k = fh * fw * in_d bytes each, padding taps set to
 *    the input zero point (w * (zp + offset) = 0: the reference's skipped
 *    taps, also after the correction). */
#include "common/conv_2d.h"
#include "common/ops.h"
#include "mve_dot.h"
#include "mve_gemm.h"
#include "tfm/kernels.h"

static bool mve_conv_fast(const TfmConv2DData *d, const tfm_tensor *in) {
  return in->type == TFM_INT8 && d->groups == 1;
}

static bool mve_pointwise(const TfmConv2DData *d) {
  return d->filter_h == 1 && d->filter_w == 1 && d->padding.height == 0 &&
         d->padding.width == 0;
}

/* Scratch: the corrections (out_d int32), then the column pair (2k bytes). */
static int32_t mve_col_offset(const TfmConv2DData *d) { return 4 * d->out_d; }

static tfm_status mve_conv_prepare(tfm_context *ctx, tfm_node *node) {
  TFM_TRY(tfm_conv_2d_prepare(ctx, node));
  TfmConv2DData *d = (TfmConv2DData *)node->data;
  if (!mve_conv_fast(d, tfm_input(ctx, node, 0))) return TFM_OK;
  const int32_t k = d->filter_h * d->filter_w * d->filter_d;
  const size_t bytes = (size_t)mve_col_offset(d) + (mve_pointwise(d) ? 0 : 2 * (size_t)k);
  return tfm_request_scratch(ctx, bytes, &d->scratch_index);
}

/* The patch of output pixel (oy, ox) into col (k bytes, in filter order):
 * per filter row, the in-image taps are one contiguous copy when the
 * dilation is 1. */
static void mve_im2col(const TfmConv2DData *d, const int8_t *in_b, int32_t oy, int32_t ox,
                       int8_t *col) {
  const int32_t in_d = d->in_d, fw = d->filter_w;
  const int8_t pad = (int8_t)(-d->input_offset); /* the zero point */
  const int32_t y0 = oy * d->stride_h - d->padding.height;
  const int32_t x0 = ox * d->stride_w - d->padding.width;
  int32_t fx0, fx1;
  tfm_conv_tap_range(x0, d->dilation_w, d->in_w, fw, &fx0, &fx1);
  if (fx1 < fx0) fx1 = fx0;
  for (int32_t fy = 0; fy < d->filter_h; ++fy, col += fw * in_d) {
    const int32_t y = y0 + fy * d->dilation_h;
    if (y < 0 || y >= d->in_h) {
      mve_fill(col, pad, fw * in_d);
      continue;
    }
    const int8_t *row = in_b + y * d->in_w * in_d;
    mve_fill(col, pad, fx0 * in_d);
    if (d->dilation_w == 1) {
      mve_copy(col + fx0 * in_d, row + (x0 + fx0) * in_d, (fx1 - fx0) * in_d);
    } else {
      for (int32_t fx = fx0; fx < fx1; ++fx) {
        mve_copy(col + fx * in_d, row + (x0 + fx * d->dilation_w) * in_d, in_d);
      }
    }
    mve_fill(col + fx1 * in_d, pad, (fw - fx1) * in_d);
  }
}

static tfm_status mve_conv_eval(tfm_context *ctx, tfm_node *node) {
  const TfmConv2DData *d = (const TfmConv2DData *)node->data;
  const tfm_tensor *in = tfm_input(ctx, node, 0);
  if (!mve_conv_fast(d, in)) return tfm_conv_2d_eval_reference(ctx, node);
  const int8_t *filter = (const int8_t *)tfm_input(ctx, node, 1)->data;
  const tfm_tensor *bias_t = node->num_inputs == 3 ? tfm_input(ctx, node, 2) : NULL;
  int8_t *out = (int8_t *)tfm_output(ctx, node, 0)->data;
  const int8_t *x = (const int8_t *)in->data;
  const int32_t k = d->filter_h * d->filter_w * d->filter_d, out_d = d->out_d;
  int8_t *scratch = (int8_t *)tfm_scratch(ctx, d->scratch_index);
  TFM_ENSURE(ctx, scratch != NULL);
  int32_t *corr = (int32_t *)(void *)scratch;
  mve_gemm_corr(filter, k, out_d, bias_t ? (const int32_t *)bias_t->data : NULL,
                d->input_offset, corr);
  const mve_out_params p = {corr, d->multiplier, d->shift, d->output_offset, d->act_min,
                            d->act_max};
  const int32_t in_row = d->in_w * d->in_d;
  if (mve_pointwise(d)) {
    if (d->stride_h == 1 && d->stride_w == 1) { /* the whole tensor is one matrix */
      mve_gemm_s8(filter, k, out_d, x, k, d->batches * d->out_h * d->out_w, &p, out, out_d);
      return TFM_OK;
    }
    for (int32_t b = 0; b < d->batches; ++b) {
      const int8_t *in_b = x + b * d->in_h * in_row;
      for (int32_t oy = 0; oy < d->out_h; ++oy, out += d->out_w * out_d) {
        mve_gemm_s8(filter, k, out_d, in_b + oy * d->stride_h * in_row, d->stride_w * d->in_d,
                    d->out_w, &p, out, out_d);
      }
    }
    return TFM_OK;
  }
  int8_t *col = scratch + mve_col_offset(d);
  const int32_t per_image = d->out_h * d->out_w, pixels = d->batches * per_image;
  for (int32_t px = 0; px < pixels; px += 2) {
    const int32_t n = pixels - px < 2 ? pixels - px : 2;
    for (int32_t i = 0; i < n; ++i) {
      const int32_t b = (px + i) / per_image, r = (px + i) % per_image;
      mve_im2col(d, x + b * d->in_h * in_row, r / d->out_w, r % d->out_w, col + i * k);
    }
    mve_gemm_s8(filter, k, out_d, col, k, n, &p, out + px * out_d, out_d);
  }
  return TFM_OK;
}

const tfm_kernel *tfm_register_conv_2d(void) {
  static const tfm_kernel kernel = TFM_BUILTIN_KERNEL(CONV_2D, mve_conv_prepare, mve_conv_eval);
  return &kernel;
}
