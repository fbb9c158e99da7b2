/* CUMSUM: running sums along `axis` (input 1, INT32 scalar), float32, int32
 * and int64 (integers wrap); options exclusive (offset 4: each sum leaves out
 * its own element) and reverse (offset 6: sums run from the end). */
#include "common/cumsum.h"

#include "common/layout_common.h"
#include "common/shape_common.h"
#include "internal/quant.h"
#include "tfm/kernels.h"

tfm_status tfm_cumsum_prepare(tfm_context *ctx, tfm_node *node) {
  TFM_TRY(tfm_shape_check_io(ctx, node, 2, 2, 1));
  const tfm_tensor *in = tfm_input(ctx, node, 0);
  const tfm_tensor *out = tfm_output(ctx, node, 0);
  const tfm_type t = (tfm_type)in->type;
  if (t != TFM_FLOAT32 && t != TFM_INT32 && t != TFM_INT64) {
    return tfm_fail(ctx, TFM_UNSUPPORTED, "type %s not supported", tfm_type_name(t));
  }
  TFM_TRY(tfm_layout_same_type(ctx, "input", in, "output", out, false));
  if (tfm_tensor_elements(in) != tfm_tensor_elements(out) || in->rank < 1) {
    return tfm_fail(ctx, TFM_BAD_MODEL, "output must have the input's shape (rank >= 1)");
  }
  return TFM_OK;
}

tfm_status tfm_cumsum_eval_reference(tfm_context *ctx, tfm_node *node) {
  const tfm_tensor *in = tfm_input(ctx, node, 0);
  tfm_tensor *out = tfm_output(ctx, node, 0);
  int32_t axis_v;
  int n;
  TFM_TRY(tfm_layout_read_ints(ctx, "axis", tfm_input(ctx, node, 1), &axis_v, 1, &n, 0, 1));
  const int axis = n == 1 ? tfm_shape_axis(axis_v, in->rank) : -1;
  if (axis < 0) return tfm_fail(ctx, TFM_BAD_ARGUMENT, "axis out of range for rank %d", in->rank);
  const bool exclusive = tfm_opt_bool(node, 4, false), reverse = tfm_opt_bool(node, 6, false);
  const int32_t outer = tfm_shape_product(in, 0, axis), len = in->dims[axis];
  const int32_t inner = tfm_shape_product(in, axis + 1, in->rank);
  for (int32_t o = 0; o < outer; ++o) {
    for (int32_t i = 0; i < inner; ++i) {
      const int32_t first = o * len * inner + i;
      float fs = 0.0f;
      uint64_t is = 0;
      for (int32_t k = 0; k < len; ++k) {
        const int32_t j = first + (reverse ? len - 1 - k : k) * inner;
        switch (in->type) {
          case TFM_FLOAT32: {
            const float x = ((const float *)in->data)[j];
            if (!exclusive) fs += x;
            ((float *)out->data)[j] = fs;
            if (exclusive) fs += x;
            break;
          }
          case TFM_INT32: {
            const uint32_t x = (uint32_t)((const int32_t *)in->data)[j];
            if (!exclusive) is += x;
            ((int32_t *)out->data)[j] = tfm_wrap_i32((uint32_t)is);
            if (exclusive) is += x;
            break;
          }
          default: {
            const uint64_t x = (uint64_t)((const int64_t *)in->data)[j];
            if (!exclusive) is += x;
            ((int64_t *)out->data)[j] = tfm_wrap_i64(is);
            if (exclusive) is += x;
            break;
          }
        }
      }
    }
  }
  return TFM_OK;
}
