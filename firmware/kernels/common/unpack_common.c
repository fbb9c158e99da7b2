/* UNPACK shared pieces: prepare and the reference eval (see
 * common/unpack.h). */
#include "common/unpack.h"

#include "common/shape_common.h"

tfm_status tfm_unpack_prepare(tfm_context *ctx, tfm_node *node) {
  TFM_TRY(tfm_shape_check_io(ctx, node, 1, 1, node->num_outputs));
  const tfm_tensor *in = tfm_input(ctx, node, 0);
  if (node->num_outputs < 1) return tfm_fail(ctx, TFM_BAD_MODEL, "needs >= 1 output");
  if (tfm_type_size((tfm_type)in->type) == 0) {
    return tfm_fail(ctx, TFM_UNSUPPORTED, "type %s not supported",
                    tfm_type_name((tfm_type)in->type));
  }
  TFM_TRY(tfm_shape_check_types(ctx, node, in, true, 0));
  const int axis = tfm_shape_axis(tfm_opt_i32(node, 6, 0), in->rank);
  if (axis < 0) return tfm_fail(ctx, TFM_BAD_MODEL, "axis out of range for rank %d", (int)in->rank);
  if (in->dims[axis] != node->num_outputs) {
    return tfm_fail(ctx, TFM_BAD_MODEL, "dim %ld along axis but %d outputs",
                    (long)in->dims[axis], (int)node->num_outputs);
  }
  for (int k = 0; k < node->num_outputs; ++k) {
    if (tfm_tensor_elements(tfm_output(ctx, node, k)) * in->dims[axis] != tfm_tensor_elements(in)) {
      return tfm_fail(ctx, TFM_BAD_MODEL, "output %d size does not match", k);
    }
  }
  return TFM_OK;
}

tfm_status tfm_unpack_eval_reference(tfm_context *ctx, tfm_node *node) {
  const tfm_tensor *in = tfm_input(ctx, node, 0);
  const int axis = tfm_shape_axis(tfm_opt_i32(node, 6, 0), in->rank);
  tfm_shape_split_outputs(ctx, node, in, tfm_shape_product(in, 0, axis));
  return TFM_OK;
}
