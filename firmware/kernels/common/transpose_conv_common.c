/* TRANSPOSE_CONV shared pieces: prepare and the reference eval (see
 * common/transpose_conv.h). */
#include "common/transpose_conv.h"

#include "common/conv_common.h"
#include "internal/quant.h"

/* TransposeConvOptions vtable offsets. */
enum { OPT_PADDING = 4, OPT_STRIDE_W = 6, OPT_STRIDE_H = 8, OPT_ACTIVATION = 10 };
enum { IN_SHAPE = 0, IN_WEIGHTS = 1, IN_DATA = 2, IN_BIAS = 3 };

tfm_status tfm_transpose_conv_prepare(tfm_context *ctx, tfm_node *node) {
  if (node->num_inputs < 3 || node->num_inputs > 4 || node->num_outputs != 1) {
    return tfm_fail(ctx, TFM_BAD_MODEL, "needs 3-4 inputs and 1 output, has %d and %d",
                    (int)node->num_inputs, (int)node->num_outputs);
  }
  const tfm_tensor *shape = tfm_input(ctx, node, IN_SHAPE);
  const tfm_tensor *filter = tfm_input(ctx, node, IN_WEIGHTS);
  const tfm_tensor *in = tfm_input(ctx, node, IN_DATA);
  const tfm_tensor *bias = node->num_inputs == 4 ? tfm_input(ctx, node, IN_BIAS) : NULL;
  const tfm_tensor *out = tfm_output(ctx, node, 0);
  TFM_ENSURE(ctx, shape != NULL && in != NULL && filter != NULL && out != NULL);
  if (in->rank != 4 || filter->rank != 4 || out->rank != 4) {
    return tfm_fail(ctx, TFM_BAD_MODEL, "input, weights and output must be 4-D (are %d, %d, %d)",
                    (int)in->rank, (int)filter->rank, (int)out->rank);
  }
  if (shape->type != TFM_INT32 || tfm_tensor_elements(shape) != 4) {
    return tfm_fail(ctx, TFM_BAD_MODEL, "output_shape must be INT32[4] (is %s with %ld elements)",
                    tfm_type_name((tfm_type)shape->type), (long)tfm_tensor_elements(shape));
  }
  if ((shape->flags & TFM_TENSOR_CONSTANT) && shape->data != NULL) {
    const int32_t *s = (const int32_t *)shape->data;
    for (int i = 0; i < 4; ++i) {
      if (s[i] != out->dims[i]) {
        return tfm_fail(ctx, TFM_UNSUPPORTED, "output_shape[%d] = %ld but output dim is %ld", i,
                        (long)s[i], (long)out->dims[i]);
      }
    }
  }
  const int32_t out_d = filter->dims[0];
  TFM_TRY(tfm_conv_check_types(ctx, in, filter, bias, out, out_d));
  if (in->dims[3] != filter->dims[3] || out->dims[3] != out_d || out->dims[0] != in->dims[0]) {
    return tfm_fail(ctx, TFM_BAD_MODEL, "channels/batches mismatch: input %ldx..x%ld, weights "
                    "%ldx..x%ld, output %ldx..x%ld", (long)in->dims[0], (long)in->dims[3],
                    (long)filter->dims[0], (long)filter->dims[3], (long)out->dims[0],
                    (long)out->dims[3]);
  }
  tfm_conv_data *d;
  TFM_TRY(tfm_conv_alloc(ctx, node, &d));
  d->batches = in->dims[0];
  d->in_h = in->dims[1];
  d->in_w = in->dims[2];
  d->in_d = in->dims[3];
  d->filter_h = filter->dims[1];
  d->filter_w = filter->dims[2];
  d->filter_d = filter->dims[3];
  d->out_h = out->dims[1];
  d->out_w = out->dims[2];
  d->out_d = out_d;
  d->dilation_h = d->dilation_w = 1;
  const int padding = tfm_opt_i8(node, OPT_PADDING, TFM_PADDING_SAME);
  d->stride_w = tfm_opt_i32(node, OPT_STRIDE_W, 0);
  d->stride_h = tfm_opt_i32(node, OPT_STRIDE_H, 0);
  if (d->stride_w < 1 || d->stride_h < 1) {
    return tfm_fail(ctx, TFM_BAD_MODEL, "strides (%ld, %ld) must be >= 1", (long)d->stride_h,
                    (long)d->stride_w);
  }
  if (padding != TFM_PADDING_SAME && padding != TFM_PADDING_VALID) {
    return tfm_fail(ctx, TFM_UNSUPPORTED, "padding %d not supported", padding);
  }
  /* As TFLite: padding of the forward conv that maps the output back to the input. */
  int32_t unused_h, unused_w;
  d->padding = tfm_padding_compute(padding, d->stride_h, d->stride_w, 1, 1, d->out_h, d->out_w,
                                   d->filter_h, d->filter_w, &unused_h, &unused_w);
  if (!tfm_padding_indices_fit(d->out_h, d->out_w, out_d > d->in_d ? out_d : d->in_d, d->in_h,
                               d->in_w, d->stride_h, d->stride_w, 1, 1, d->filter_h,
                               d->filter_w)) {
    return tfm_fail(ctx, TFM_UNSUPPORTED, "strides, dilations or filter size too large");
  }
  TFM_TRY(tfm_conv_quant_params(ctx, in, filter, out, tfm_opt_i8(node, OPT_ACTIVATION, 0),
                                out_d, 0, d));
  if (in->type != TFM_FLOAT32) {
    const size_t acc_size = in->type == TFM_INT16 ? sizeof(int64_t) : sizeof(int32_t);
    TFM_TRY(tfm_request_scratch(ctx, (size_t)tfm_tensor_elements(out) * acc_size,
                                &d->scratch_index));
  }
  return TFM_OK;
}

/* Scatter loop shared by all types: calls BODY for every (input element,
 * in-bounds tap, output channel) with `iv` = input value index and `fi`/`oi`
 * the filter/output element indices, in TFLite's order. */
#define TCONV_SCATTER(d, BODY)                                                           \
  for (int32_t b = 0; b < (d)->batches; ++b) {                                           \
    for (int32_t iy = 0; iy < (d)->in_h; ++iy) {                                         \
      const int32_t y0 = iy * (d)->stride_h - (d)->padding.height;                       \
      int32_t fy0, fy1;                                                                  \
      tfm_conv_tap_range(y0, 1, (d)->out_h, (d)->filter_h, &fy0, &fy1);                  \
      for (int32_t ix = 0; ix < (d)->in_w; ++ix) {                                       \
        const int32_t x0 = ix * (d)->stride_w - (d)->padding.width;                      \
        int32_t fx0, fx1;                                                                \
        tfm_conv_tap_range(x0, 1, (d)->out_w, (d)->filter_w, &fx0, &fx1);                \
        for (int32_t ic = 0; ic < (d)->in_d; ++ic) {                                     \
          const int32_t iv = ((b * (d)->in_h + iy) * (d)->in_w + ix) * (d)->in_d + ic;   \
          for (int32_t fy = fy0; fy < fy1; ++fy) {                                       \
            for (int32_t fx = fx0; fx < fx1; ++fx) {                                     \
              int32_t oi = ((b * (d)->out_h + y0 + fy) * (d)->out_w + x0 + fx) * (d)->out_d; \
              int32_t fi = (fy * (d)->filter_w + fx) * (d)->filter_d + ic;               \
              const int32_t fstep = (d)->filter_h * (d)->filter_w * (d)->filter_d;       \
              for (int32_t oc = 0; oc < (d)->out_d; ++oc, ++oi, fi += fstep) {           \
                BODY;                                                                    \
              }                                                                          \
            }                                                                            \
          }                                                                              \
        }                                                                                \
      }                                                                                  \
    }                                                                                    \
  }

static void tconv_f32(const tfm_conv_data *d, const float *in, const float *filter,
                      const float *bias, float *out, int32_t n) {
  for (int32_t i = 0; i < n; ++i) out[i] = 0.0f;
  TCONV_SCATTER(d, out[oi] += in[iv] * filter[fi]);
  for (int32_t i = 0; i < n; ++i) {
    float acc = out[i];
    if (bias) acc += bias[i % d->out_d];
    out[i] = tfm_clamp_f32(acc, d->act_min_f, d->act_max_f);
  }
}

static void tconv_s8(const tfm_conv_data *d, const int8_t *in, const int8_t *filter,
                     const int32_t *bias, int8_t *out, uint32_t *acc, int32_t n) {
  /* Accumulators are unsigned: sums wrap (quant.h); each product is exact. */
  const int32_t in_offset = d->input_offset;
  for (int32_t i = 0; i < n; ++i) acc[i] = 0;
  TCONV_SCATTER(d, acc[oi] += (uint32_t)((in[iv] + in_offset) * filter[fi]));
  for (int32_t i = 0; i < n; ++i) {
    const int32_t oc = i % d->out_d;
    int32_t v = tfm_wrap_i32(acc[i]);
    if (bias) v = tfm_add_wrap_i32(v, bias[oc]);
    v = tfm_multiply_by_quantized_multiplier(v, d->multiplier[oc], d->shift[oc]);
    v = tfm_add_wrap_i32(v, d->output_offset);
    out[i] = (int8_t)tfm_clamp_i32(v, d->act_min, d->act_max);
  }
}

static void tconv_s16(const tfm_conv_data *d, const int16_t *in, const int8_t *filter,
                      const tfm_tensor *bias, int16_t *out, uint64_t *acc, int32_t n) {
  for (int32_t i = 0; i < n; ++i) acc[i] = 0;
  TCONV_SCATTER(d, acc[oi] += (uint64_t)(int64_t)((int32_t)in[iv] * filter[fi]));
  for (int32_t i = 0; i < n; ++i) {
    const int32_t oc = i % d->out_d;
    const int64_t v = tfm_wrap_i64(acc[i] + (uint64_t)tfm_conv_bias_i64(bias, oc));
    const int32_t scaled =
        tfm_multiply_by_quantized_multiplier_64(v, d->multiplier[oc], d->shift[oc]);
    out[i] = (int16_t)tfm_clamp_i32(scaled, d->act_min, d->act_max);
  }
}

tfm_status tfm_transpose_conv_eval_reference(tfm_context *ctx, tfm_node *node) {
  const tfm_conv_data *d = (const tfm_conv_data *)node->data;
  const tfm_tensor *filter = tfm_input(ctx, node, IN_WEIGHTS);
  const tfm_tensor *in = tfm_input(ctx, node, IN_DATA);
  const tfm_tensor *bias = node->num_inputs == 4 ? tfm_input(ctx, node, IN_BIAS) : NULL;
  tfm_tensor *out = tfm_output(ctx, node, 0);
  const int32_t n = tfm_tensor_elements(out);
  switch (in->type) {
    case TFM_FLOAT32:
      tconv_f32(d, (const float *)in->data, (const float *)filter->data,
                bias ? (const float *)bias->data : NULL, (float *)out->data, n);
      return TFM_OK;
    case TFM_INT8:
      tconv_s8(d, (const int8_t *)in->data, (const int8_t *)filter->data,
               bias ? (const int32_t *)bias->data : NULL, (int8_t *)out->data,
               (uint32_t *)tfm_scratch(ctx, d->scratch_index), n);
      return TFM_OK;
    case TFM_INT16:
      tconv_s16(d, (const int16_t *)in->data, (const int8_t *)filter->data, bias,
                (int16_t *)out->data, (uint64_t *)tfm_scratch(ctx, d->scratch_index), n);
      return TFM_OK;
    default:
      return tfm_fail(ctx, TFM_UNSUPPORTED, "input type %s not supported",
                      tfm_type_name((tfm_type)in->type));
  }
}
