#include "common/conv_common.h"

#include "internal/quant.h"

tfm_status tfm_conv_alloc(tfm_context *ctx, tfm_node *node, tfm_conv_data **out) {
  void *p = NULL;
  TFM_TRY(tfm_alloc_persistent(ctx, sizeof(tfm_conv_data), &p));
  tfm_conv_data *d = (tfm_conv_data *)p;
  d->scratch_index = -1;
  node->data = d;
  *out = d;
  return TFM_OK;
}

static const char *type_name(const tfm_tensor *t) { return tfm_type_name((tfm_type)t->type); }

static tfm_status unsupported_combo(tfm_context *ctx, const tfm_tensor *input,
                                    const tfm_tensor *filter, const tfm_tensor *bias,
                                    const tfm_tensor *output) {
  return tfm_fail(ctx, TFM_UNSUPPORTED,
                  "input %s, filter %s, bias %s, output %s not supported", type_name(input),
                  type_name(filter), bias ? type_name(bias) : "none", type_name(output));
}

tfm_status tfm_conv_check_types(tfm_context *ctx, const tfm_tensor *input,
                                const tfm_tensor *filter, const tfm_tensor *bias,
                                const tfm_tensor *output, int32_t channels) {
  switch (input->type) {
    case TFM_FLOAT32:
      if (filter->type != TFM_FLOAT32 || output->type != TFM_FLOAT32 ||
          (bias && bias->type != TFM_FLOAT32)) {
        return unsupported_combo(ctx, input, filter, bias, output);
      }
      break;
    case TFM_INT8:
      if (filter->type != TFM_INT8 || output->type != TFM_INT8 ||
          (bias && bias->type != TFM_INT32)) {
        return unsupported_combo(ctx, input, filter, bias, output);
      }
      break;
    case TFM_INT16:
      if (filter->type != TFM_INT8 || output->type != TFM_INT16 ||
          (bias && bias->type != TFM_INT64)) {
        return unsupported_combo(ctx, input, filter, bias, output);
      }
      if (input->zero_point != 0 || output->zero_point != 0) {
        return tfm_fail(ctx, TFM_UNSUPPORTED,
                        "INT16 input/output zero points must be 0 (got %ld, %ld)",
                        (long)input->zero_point, (long)output->zero_point);
      }
      break;
    default:
      return unsupported_combo(ctx, input, filter, bias, output);
  }
  if (bias && tfm_tensor_elements(bias) != channels) {
    return tfm_fail(ctx, TFM_BAD_MODEL, "bias has %ld elements, expected %ld",
                    (long)tfm_tensor_elements(bias), (long)channels);
  }
  return TFM_OK;
}

tfm_status tfm_conv_quant_params(tfm_context *ctx, const tfm_tensor *input,
                                 const tfm_tensor *filter, const tfm_tensor *output,
                                 int activation, int32_t channels, int32_t quant_dim,
                                 tfm_conv_data *data) {
  if (activation != TFM_ACT_NONE && activation != TFM_ACT_RELU && activation != TFM_ACT_RELU6 &&
      activation != TFM_ACT_RELU_N1_TO_1) {
    return tfm_fail(ctx, TFM_UNSUPPORTED, "fused activation %d not supported", activation);
  }
  if (input->type == TFM_FLOAT32) {
    tfm_activation_range_float(activation, &data->act_min_f, &data->act_max_f);
    return TFM_OK;
  }
  tfm_quant q;
  TFM_TRY(tfm_tensor_quant(ctx, filter, &q));
  if (q.count != 1 && q.count != channels) {
    return tfm_fail(ctx, TFM_BAD_MODEL, "filter has %ld scales for %ld output channels",
                    (long)q.count, (long)channels);
  }
  if (q.count > 1 && q.quantized_dimension != quant_dim) {
    return tfm_fail(ctx, TFM_UNSUPPORTED, "filter quantized along dimension %ld, expected %ld",
                    (long)q.quantized_dimension, (long)quant_dim);
  }
  for (int32_t i = 0; i < q.zero_point_count; ++i) {
    if (tfm_quant_zero_point(&q, i) != 0) {
      return tfm_fail(ctx, TFM_UNSUPPORTED, "filter zero point %ld (channel %ld) must be 0",
                      (long)tfm_quant_zero_point(&q, i), (long)i);
    }
  }
  if (input->scale <= 0.0f || output->scale <= 0.0f) {
    return tfm_fail(ctx, TFM_BAD_MODEL, "input/output scale missing");
  }
  data->input_offset = -input->zero_point;
  data->output_offset = output->zero_point;
  tfm_activation_range_quantized(activation, (tfm_type)output->type, output->scale,
                                 output->zero_point, &data->act_min, &data->act_max);
#if defined(TFM_OFFLINE_PREP) && TFM_OFFLINE_PREP
  /* Built with offline prep (tfm/kernel.h): the CONV_S8 record's multipliers and
   * shifts, in flash, instead of computing them into the arena. */
  const void *rec = NULL;
  uint32_t size = 0;
  TFM_TRY(tfm_offline_data(ctx, NULL, TFM_OFFLINE_KIND_CONV_S8, &rec, &size));
  if (rec != NULL) {
    const int32_t *r = (const int32_t *)rec;
    if (size != 4u * (uint32_t)(1 + channels + (channels + 3) / 4) || r[0] != channels) {
      return tfm_fail(ctx, TFM_BAD_MODEL, "offline CONV_S8 record of %lu B does not fit %ld "
                      "channels", (unsigned long)size, (long)channels);
    }
    data->multiplier = (int32_t *)(uintptr_t)(r + 1);       /* read-only from here on */
    data->shift = (int8_t *)(uintptr_t)(r + 1 + channels);
    return TFM_OK;
  }
#endif
  void *m = NULL;
  void *s = NULL;
  TFM_TRY(tfm_alloc_persistent(ctx, (size_t)channels * sizeof(int32_t), &m));
  TFM_TRY(tfm_alloc_persistent(ctx, (size_t)channels * sizeof(int8_t), &s));
  data->multiplier = (int32_t *)m;
  data->shift = (int8_t *)s;
  const double input_scale = (double)input->scale;
  const double output_scale = (double)output->scale;
  for (int32_t c = 0; c < channels; ++c) {
    const double filter_scale = (double)tfm_quant_scale(&q, q.count > 1 ? c : 0);
    const double effective = input_scale * filter_scale / output_scale;
    int shift = 0;
    tfm_quantize_multiplier(effective, &data->multiplier[c], &shift);
    data->shift[c] = (int8_t)shift;
  }
  return TFM_OK;
}

tfm_status tfm_conv_io(tfm_context *ctx, const tfm_node *node, const tfm_tensor **in,
                       const tfm_tensor **filter, const tfm_tensor **bias,
                       const tfm_tensor **out) {
  if (node->num_inputs < 2 || node->num_inputs > 3 || node->num_outputs != 1) {
    return tfm_fail(ctx, TFM_BAD_MODEL, "needs 2-3 inputs and 1 output, has %d and %d",
                    (int)node->num_inputs, (int)node->num_outputs);
  }
  *in = tfm_input(ctx, node, 0);
  *filter = tfm_input(ctx, node, 1);
  *bias = node->num_inputs == 3 ? tfm_input(ctx, node, 2) : NULL;
  *out = tfm_output(ctx, node, 0);
  TFM_ENSURE(ctx, *in != NULL && *filter != NULL && *out != NULL);
  if ((*in)->rank != 4 || (*filter)->rank != 4 || (*out)->rank != 4) {
    return tfm_fail(ctx, TFM_BAD_MODEL, "input, filter and output must be 4-D (are %d, %d, %d)",
                    (int)(*in)->rank, (int)(*filter)->rank, (int)(*out)->rank);
  }
  return TFM_OK;
}

tfm_status tfm_conv_geometry(tfm_context *ctx, const tfm_node *node,
                             const tfm_conv_option_offsets *opts, const tfm_tensor *out,
                             int32_t index_depth, tfm_conv_data *d) {
  const int padding = tfm_opt_i8(node, opts->padding, TFM_PADDING_SAME);
  d->stride_w = tfm_opt_i32(node, opts->stride_w, 0);
  d->stride_h = tfm_opt_i32(node, opts->stride_h, 0);
  d->dilation_w = tfm_opt_i32(node, opts->dilation_w, 1);
  d->dilation_h = tfm_opt_i32(node, opts->dilation_h, 1);
  if (d->stride_w < 1 || d->stride_h < 1 || d->dilation_w < 1 || d->dilation_h < 1) {
    return tfm_fail(ctx, TFM_BAD_MODEL, "strides (%ld, %ld) and dilations (%ld, %ld) must be >= 1",
                    (long)d->stride_h, (long)d->stride_w, (long)d->dilation_h,
                    (long)d->dilation_w);
  }
  if (padding != TFM_PADDING_SAME && padding != TFM_PADDING_VALID) {
    return tfm_fail(ctx, TFM_UNSUPPORTED, "padding %d not supported", padding);
  }
  int32_t oh, ow;
  d->padding = tfm_padding_compute(padding, d->stride_h, d->stride_w, d->dilation_h,
                                   d->dilation_w, d->in_h, d->in_w, d->filter_h, d->filter_w,
                                   &oh, &ow);
  if (out->dims[0] != d->batches || out->dims[1] != oh || out->dims[2] != ow ||
      out->dims[3] != d->out_d) {
    return tfm_fail(ctx, TFM_BAD_MODEL, "output shape %ldx%ldx%ldx%ld, expected %ldx%ldx%ldx%ld",
                    (long)out->dims[0], (long)out->dims[1], (long)out->dims[2],
                    (long)out->dims[3], (long)d->batches, (long)oh, (long)ow, (long)d->out_d);
  }
  d->out_h = oh;
  d->out_w = ow;
  if (!tfm_padding_indices_fit(d->in_h, d->in_w, index_depth, oh, ow, d->stride_h, d->stride_w,
                               d->dilation_h, d->dilation_w, d->filter_h, d->filter_w)) {
    return tfm_fail(ctx, TFM_UNSUPPORTED, "strides, dilations or filter size too large");
  }
  return TFM_OK;
}
