/* ARG_MAX shared pieces: prepare and the reference eval (see
 * common/arg_max.h). */
#include "common/arg_max.h"

#include "common/shape_common.h"

tfm_status tfm_arg_max_prepare(tfm_context *ctx, tfm_node *node) {
  TFM_TRY(tfm_shape_check_io(ctx, node, 2, 2, 1));
  const tfm_tensor *in = tfm_input(ctx, node, 0);
  const tfm_tensor *axis = tfm_input(ctx, node, 1);
  const tfm_tensor *out = tfm_output(ctx, node, 0);
  const tfm_type t = (tfm_type)in->type;
  if (t != TFM_INT8 && t != TFM_INT32 && t != TFM_FLOAT32 && t != TFM_UINT8) {
    return tfm_fail(ctx, TFM_UNSUPPORTED, "input type %s not supported", tfm_type_name(t));
  }
  if (!tfm_shape_is_index_type(axis) || !tfm_shape_is_index_type(out)) {
    return tfm_fail(ctx, TFM_UNSUPPORTED, "axis/output type must be INT32 or INT64");
  }
  if (in->rank < 1 || tfm_tensor_elements(in) == 0) {
    return tfm_fail(ctx, TFM_BAD_MODEL, "input must have rank >= 1 and elements");
  }
  return TFM_OK;
}

static float value_at(const tfm_tensor *t, int32_t i) {
  switch (t->type) {
    case TFM_INT8: return (float)((const int8_t *)t->data)[i];
    case TFM_UINT8: return (float)((const uint8_t *)t->data)[i];
    default: return ((const float *)t->data)[i];
  }
}

tfm_status tfm_arg_max_eval_reference(tfm_context *ctx, tfm_node *node) {
  const tfm_tensor *in = tfm_input(ctx, node, 0);
  tfm_tensor *out = tfm_output(ctx, node, 0);
  const int axis = tfm_shape_axis((int32_t)tfm_shape_read_index(tfm_input(ctx, node, 1), 0),
                                  in->rank);
  if (axis < 0) {
    return tfm_fail(ctx, TFM_BAD_ARGUMENT, "axis out of range for rank %d", (int)in->rank);
  }
  const int32_t outer = tfm_shape_product(in, 0, axis);
  const int32_t inner = tfm_shape_product(in, axis + 1, in->rank);
  const int32_t n = in->dims[axis];
  if (tfm_tensor_elements(out) != (int64_t)outer * inner) {
    return tfm_fail(ctx, TFM_BAD_ARGUMENT, "output size does not match axis %d", axis);
  }
  for (int32_t o = 0; o < outer; ++o) {
    for (int32_t i = 0; i < inner; ++i) {
      const int32_t first = o * n * inner + i;
      int32_t best = 0;
      if (in->type == TFM_INT32) {
        /* int32 does not fit a float exactly: compare as integers. */
        const int32_t *p = (const int32_t *)in->data;
        int32_t m = p[first];
        for (int32_t k = 1; k < n; ++k) {
          if (p[first + k * inner] > m) { m = p[first + k * inner]; best = k; }
        }
      } else {
        float m = value_at(in, first);
        for (int32_t k = 1; k < n; ++k) {
          const float v = value_at(in, first + k * inner);
          if (v > m) { m = v; best = k; }
        }
      }
      if (out->type == TFM_INT32) {
        ((int32_t *)out->data)[o * inner + i] = best;
      } else {
        ((int64_t *)out->data)[o * inner + i] = best;
      }
    }
  }
  return TFM_OK;
}
