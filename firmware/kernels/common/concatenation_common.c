/* CONCATENATION shared pieces: prepare and the reference eval (see
 * common/concatenation.h). */
#include "common/concatenation.h"

#include "common/shape_common.h"
#include "internal/quant.h"

tfm_status tfm_concatenation_prepare(tfm_context *ctx, tfm_node *node) {
  if (node->num_inputs < 1 || node->num_outputs != 1) {
    return tfm_fail(ctx, TFM_BAD_MODEL, "needs >= 1 input and 1 output");
  }
  const tfm_tensor *out = tfm_output(ctx, node, 0);
  TFM_ENSURE(ctx, out != NULL);
  const tfm_type type = (tfm_type)out->type;
  if (type != TFM_INT8 && type != TFM_INT16 && type != TFM_INT32 && type != TFM_FLOAT32 &&
      type != TFM_INT64 && type != TFM_BOOL) {
    return tfm_fail(ctx, TFM_UNSUPPORTED, "output type %s not supported", tfm_type_name(type));
  }
  const int rank = out->rank;
  const int axis = tfm_shape_axis(tfm_opt_i32(node, 4, 0), rank);
  if (axis < 0) return tfm_fail(ctx, TFM_BAD_MODEL, "axis out of range for rank %d", rank);
  int32_t sum = 0;
  for (int i = 0; i < node->num_inputs; ++i) {
    const tfm_tensor *in = tfm_input(ctx, node, i);
    if (in == NULL) return tfm_fail(ctx, TFM_BAD_MODEL, "input %d missing", i);
    if (in->type != type) {
      return tfm_fail(ctx, TFM_UNSUPPORTED, "input %d type %s differs from output type %s", i,
                      tfm_type_name((tfm_type)in->type), tfm_type_name(type));
    }
    if (in->rank != rank) {
      return tfm_fail(ctx, TFM_BAD_MODEL, "input %d rank %d differs from output rank %d", i,
                      (int)in->rank, rank);
    }
    for (int d = 0; d < rank; ++d) {
      if (d != axis && in->dims[d] != out->dims[d]) {
        return tfm_fail(ctx, TFM_BAD_MODEL, "input %d dim %d is %ld, output has %ld", i, d,
                        (long)in->dims[d], (long)out->dims[d]);
      }
    }
    sum += in->dims[axis];
  }
  if (sum != out->dims[axis]) {
    return tfm_fail(ctx, TFM_BAD_MODEL, "inputs sum to %ld along axis %d, output has %ld",
                    (long)sum, axis, (long)out->dims[axis]);
  }
  TfmConcatenationData *data;
  TFM_TRY(tfm_alloc_persistent(ctx, sizeof(*data), (void **)&data));
  data->outer = tfm_shape_product(out, 0, axis);
  data->inner = tfm_shape_product(out, axis + 1, rank);
  data->act = tfm_opt_i8(node, 6, TFM_ACT_NONE);
  data->axis = axis;
  node->data = data;
  return TFM_OK;
}

/* ConcatenationWithScaling's per-element requantization. */
static void requantize_s8(int8_t *dst, const int8_t *src, int32_t n, float scale, float bias,
                          int32_t out_zp) {
  for (int32_t j = 0; j < n; ++j) {
    int32_t v = tfm_round_to_i32((float)src[j] * scale + bias, out_zp);
    dst[j] = (int8_t)tfm_clamp_i32(v, -128, 127);
  }
}

tfm_status tfm_concatenation_eval_reference(tfm_context *ctx, tfm_node *node) {
  const TfmConcatenationData *data = (const TfmConcatenationData *)node->data;
  tfm_tensor *out = tfm_output(ctx, node, 0);
  const size_t es = tfm_type_size((tfm_type)out->type);
  const int axis = data->axis;
  uint8_t *dst = (uint8_t *)out->data;
  const float inv_out_scale = out->type == TFM_INT8 ? 1.0f / out->scale : 0.0f;
  for (int32_t o = 0; o < data->outer; ++o) {
    for (int i = 0; i < node->num_inputs; ++i) {
      const tfm_tensor *in = tfm_input(ctx, node, i);
      const int32_t n = in->dims[axis] * data->inner;
      if (n == 0) continue; /* an empty input has no data (NULL): nothing to copy */
      const uint8_t *src = (const uint8_t *)in->data + (size_t)o * (size_t)n * es;
      if (out->type == TFM_INT8 &&
          (in->scale != out->scale || in->zero_point != out->zero_point)) {
        const float scale = in->scale * inv_out_scale;
        const float bias = -(float)in->zero_point * scale;
        requantize_s8((int8_t *)dst, (const int8_t *)src, n, scale, bias, out->zero_point);
      } else {
        tfm_shape_copy(dst, src, (size_t)n * es);
      }
      dst += (size_t)n * es;
    }
  }
  if (out->type == TFM_FLOAT32 && data->act != TFM_ACT_NONE) {
    float lo, hi;
    tfm_activation_range_float(data->act, &lo, &hi);
    float *f = (float *)out->data;
    const int32_t total = tfm_tensor_elements(out);
    for (int32_t k = 0; k < total; ++k) f[k] = tfm_clamp_f32(f[k], lo, hi);
  }
  return TFM_OK;
}
