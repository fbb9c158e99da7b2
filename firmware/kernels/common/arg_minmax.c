#include "common/arg_minmax.h"

#include "common/layout_common.h"
#include "common/shape_common.h"

tfm_status tfm_arg_minmax_prepare(tfm_context *ctx, tfm_node *node) {
  TFM_TRY(tfm_shape_check_io(ctx, node, 2, 2, 1));
  const tfm_tensor *in = tfm_input(ctx, node, 0);
  const tfm_tensor *out = tfm_output(ctx, node, 0);
  const tfm_type t = (tfm_type)in->type;
  if (t != TFM_INT8 && t != TFM_UINT8 && t != TFM_INT32 && t != TFM_FLOAT32) {
    return tfm_fail(ctx, TFM_UNSUPPORTED, "input type %s not supported", tfm_type_name(t));
  }
  if (!tfm_shape_is_index_type(out)) return tfm_fail(ctx, TFM_UNSUPPORTED, "output must be INT32 or INT64");
  if (in->rank < 1 || tfm_tensor_elements(in) == 0) {
    return tfm_fail(ctx, TFM_BAD_MODEL, "input must have rank >= 1 and elements");
  }
  return TFM_OK;
}

/* Index of the winner among n values `stride` apart; `better(a, b)` is
 * a < b (min) or a > b (max). */
#define ARG_SCAN(T)                                                            \
  do {                                                                         \
    const T *p = (const T *)in->data + first;                                  \
    T m = p[0];                                                                \
    for (int32_t k = 1; k < n; ++k) {                                          \
      const T v = p[k * inner];                                                \
      if (is_max ? v > m : v < m) {                                            \
        m = v;                                                                 \
        best = k;                                                              \
      }                                                                        \
    }                                                                          \
  } while (0)

tfm_status tfm_arg_minmax_eval(tfm_context *ctx, tfm_node *node, bool is_max) {
  const tfm_tensor *in = tfm_input(ctx, node, 0);
  tfm_tensor *out = tfm_output(ctx, node, 0);
  int32_t axis_v;
  int count;
  TFM_TRY(tfm_layout_read_ints(ctx, "axis", tfm_input(ctx, node, 1), &axis_v, 1, &count, 0, 1));
  const int axis = count == 1 ? tfm_shape_axis(axis_v, in->rank) : -1;
  if (axis < 0) return tfm_fail(ctx, TFM_BAD_ARGUMENT, "axis out of range for rank %d", in->rank);
  const int32_t outer = tfm_shape_product(in, 0, axis), n = in->dims[axis];
  const int32_t inner = tfm_shape_product(in, axis + 1, in->rank);
  if (tfm_tensor_elements(out) != (int64_t)outer * inner) {
    return tfm_fail(ctx, TFM_BAD_MODEL, "output size does not match axis %d", axis);
  }
  for (int32_t o = 0; o < outer; ++o) {
    for (int32_t i = 0; i < inner; ++i) {
      const int32_t first = o * n * inner + i;
      int32_t best = 0;
      switch (in->type) {
        case TFM_FLOAT32: ARG_SCAN(float); break;
        case TFM_INT8: ARG_SCAN(int8_t); break;
        case TFM_UINT8: ARG_SCAN(uint8_t); break;
        default: ARG_SCAN(int32_t); break;
      }
      if (out->type == TFM_INT32) ((int32_t *)out->data)[o * inner + i] = best;
      else ((int64_t *)out->data)[o * inner + i] = best;
    }
  }
  return TFM_OK;
}
