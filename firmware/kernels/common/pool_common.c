#include "common/pool_common.h"

#include "internal/quant.h"

/* Pool2DOptions vtable offsets. */
enum { OPT_PADDING = 4, OPT_STRIDE_W = 6, OPT_STRIDE_H = 8, OPT_FILTER_W = 10,
       OPT_FILTER_H = 12, OPT_ACTIVATION = 14 };

static float abs_f(float x) { return x < 0.0f ? -x : x; }

tfm_status tfm_pool_prepare(tfm_context *ctx, tfm_node *node) {
  if (node->num_inputs != 1 || node->num_outputs != 1) {
    return tfm_fail(ctx, TFM_BAD_MODEL, "needs 1 input and 1 output, has %d and %d",
                    (int)node->num_inputs, (int)node->num_outputs);
  }
  const tfm_tensor *in = tfm_input(ctx, node, 0);
  const tfm_tensor *out = tfm_output(ctx, node, 0);
  TFM_ENSURE(ctx, in != NULL && out != NULL);
  if (in->rank != 4 || out->rank != 4) {
    return tfm_fail(ctx, TFM_BAD_MODEL, "input and output must be 4-D (are %d, %d)",
                    (int)in->rank, (int)out->rank);
  }
  if ((in->type != TFM_FLOAT32 && in->type != TFM_INT8 && in->type != TFM_INT16) ||
      out->type != in->type) {
    return tfm_fail(ctx, TFM_UNSUPPORTED, "input %s, output %s not supported",
                    tfm_type_name((tfm_type)in->type), tfm_type_name((tfm_type)out->type));
  }
  if (in->type != TFM_FLOAT32 &&
      (in->zero_point != out->zero_point || abs_f(in->scale - out->scale) > 1.0e-6f)) {
    return tfm_fail(ctx, TFM_UNSUPPORTED,
                    "input and output quantization differ (zero points %ld, %ld)",
                    (long)in->zero_point, (long)out->zero_point);
  }
  const int activation = tfm_opt_i8(node, OPT_ACTIVATION, 0);
  if (activation != TFM_ACT_NONE && activation != TFM_ACT_RELU && activation != TFM_ACT_RELU6 &&
      activation != TFM_ACT_RELU_N1_TO_1) {
    return tfm_fail(ctx, TFM_UNSUPPORTED, "fused activation %d not supported", activation);
  }
  const int padding = tfm_opt_i8(node, OPT_PADDING, TFM_PADDING_SAME);
  if (padding != TFM_PADDING_SAME && padding != TFM_PADDING_VALID) {
    return tfm_fail(ctx, TFM_UNSUPPORTED, "padding %d not supported", padding);
  }
  void *p = NULL;
  TFM_TRY(tfm_alloc_persistent(ctx, sizeof(tfm_pool_data), &p));
  tfm_pool_data *d = (tfm_pool_data *)p;
  node->data = d;
  d->batches = in->dims[0];
  d->in_h = in->dims[1];
  d->in_w = in->dims[2];
  d->depth = in->dims[3];
  d->stride_w = tfm_opt_i32(node, OPT_STRIDE_W, 0);
  d->stride_h = tfm_opt_i32(node, OPT_STRIDE_H, 0);
  d->filter_w = tfm_opt_i32(node, OPT_FILTER_W, 0);
  d->filter_h = tfm_opt_i32(node, OPT_FILTER_H, 0);
  if (d->stride_w < 1 || d->stride_h < 1 || d->filter_w < 1 || d->filter_h < 1) {
    return tfm_fail(ctx, TFM_BAD_MODEL, "strides (%ld, %ld) and filter (%ld, %ld) must be >= 1",
                    (long)d->stride_h, (long)d->stride_w, (long)d->filter_h, (long)d->filter_w);
  }
  d->padding = tfm_padding_compute(padding, d->stride_h, d->stride_w, 1, 1, d->in_h, d->in_w,
                                   d->filter_h, d->filter_w, &d->out_h, &d->out_w);
  if (out->dims[0] != d->batches || out->dims[1] != d->out_h || out->dims[2] != d->out_w ||
      out->dims[3] != d->depth) {
    return tfm_fail(ctx, TFM_BAD_MODEL, "output shape %ldx%ldx%ldx%ld, expected %ldx%ldx%ldx%ld",
                    (long)out->dims[0], (long)out->dims[1], (long)out->dims[2],
                    (long)out->dims[3], (long)d->batches, (long)d->out_h, (long)d->out_w,
                    (long)d->depth);
  }
  if (!tfm_padding_indices_fit(d->in_h, d->in_w, d->depth, d->out_h, d->out_w, d->stride_h,
                               d->stride_w, 1, 1, d->filter_h, d->filter_w)) {
    return tfm_fail(ctx, TFM_UNSUPPORTED, "strides, dilations or filter size too large");
  }
  if (in->type == TFM_FLOAT32) {
    tfm_activation_range_float(activation, &d->act_min_f, &d->act_max_f);
  } else {
    tfm_activation_range_quantized(activation, (tfm_type)out->type, out->scale, out->zero_point,
                                   &d->act_min, &d->act_max);
  }
  return TFM_OK;
}

tfm_status tfm_pool_eval(tfm_context *ctx, tfm_node *node, const tfm_pool_loops *loops) {
  const tfm_pool_data *d = (const tfm_pool_data *)node->data;
  const tfm_tensor *in = tfm_input(ctx, node, 0);
  tfm_tensor *out = tfm_output(ctx, node, 0);
  switch (in->type) {
    case TFM_FLOAT32: loops->f32(d, (const float *)in->data, (float *)out->data); return TFM_OK;
    case TFM_INT8: loops->s8(d, (const int8_t *)in->data, (int8_t *)out->data); return TFM_OK;
    case TFM_INT16: loops->s16(d, (const int16_t *)in->data, (int16_t *)out->data); return TFM_OK;
    default:
      return tfm_fail(ctx, TFM_UNSUPPORTED, "input type %s not supported",
                      tfm_type_name((tfm_type)in->type));
  }
}
