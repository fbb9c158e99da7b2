/* arm-mve CONV_2D: replaces kernels/reference/conv_2d.c in kernel set
 * "arm-mve".
 *
 * Prepare, float32, 16x8 and grouped int8 convolutions are the shared ones of
 * common/conv_2d.h. int8 with groups == 1 is a matrix product on MVE
 * (mve_gemm.h: four output channels of two pixels per pass, input offset
 * folded into a per-channel correction computed once per eval in scratch):
 *  - 1x1 filters without padding (any stride): straight on the input pixels,
 *    one output row at a time (no im2col);
 *  - otherwise a few pixels' patches (mve_cols_pixels) are first copied as
 *    raw int8 into scratch columns of k = fh * fw * in_d bytes each (one copy
 *    per filter row when the window is inside the image), padding taps set to
 *    the input zero point (w * (zp + offset) = 0: the reference's skipped
 *    taps, also after the correction). */
#include "common/conv_2d.h"
#include "common/ops.h"
#include "mve_gemm.h"
#include "tfm/kernels.h"

static bool mve_conv_fast(const TfmConv2DData *d, const tfm_tensor *in) {
  return in->type == TFM_INT8 && d->groups == 1;
}

static bool mve_pointwise(const TfmConv2DData *d) {
  return d->filter_h == 1 && d->filter_w == 1 && d->padding.height == 0 &&
         d->padding.width == 0;
}

/* Scratch: the corrections (out_d int32), then the im2col columns. */
static int32_t mve_col_offset(const TfmConv2DData *d) { return 4 * d->out_d; }

static tfm_status mve_conv_prepare(tfm_context *ctx, tfm_node *node) {
  TFM_TRY(tfm_conv_2d_prepare(ctx, node));
  TfmConv2DData *d = (TfmConv2DData *)node->data;
  if (!mve_conv_fast(d, tfm_input(ctx, node, 0))) return TFM_OK;
  const int32_t k = d->filter_h * d->filter_w * d->filter_d;
  const size_t bytes = (size_t)mve_col_offset(d) + (mve_pointwise(d) ? 0 : (size_t)mve_cols_pixels(k) * (size_t)k);
  return tfm_request_scratch(ctx, bytes, &d->scratch_index);
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
  mve_conv_cols(d, x, filter, &p, scratch + mve_col_offset(d), out);
  return TFM_OK;
}

const tfm_kernel *tfm_register_conv_2d(void) {
  static const tfm_kernel kernel = TFM_BUILTIN_KERNEL(CONV_2D, mve_conv_prepare, mve_conv_eval);
  return &kernel;
}
