/* PACK shared pieces: prepare and the reference eval (see
 * common/pack.h). */
#include "common/pack.h"

#include "common/shape_common.h"

tfm_status tfm_pack_prepare(tfm_context *ctx, tfm_node *node) {
  if (node->num_inputs < 1 || node->num_outputs != 1) {
    return tfm_fail(ctx, TFM_BAD_MODEL, "needs >= 1 input and 1 output");
  }
  const tfm_tensor *in = tfm_input(ctx, node, 0);
  const tfm_tensor *out = tfm_output(ctx, node, 0);
  TFM_ENSURE(ctx, in != NULL && out != NULL);
  if (tfm_type_size((tfm_type)out->type) == 0) {
    return tfm_fail(ctx, TFM_UNSUPPORTED, "type %s not supported",
                    tfm_type_name((tfm_type)out->type));
  }
  TFM_TRY(tfm_shape_check_types(ctx, node, out, false, 0));
  const int axis = tfm_shape_axis(tfm_opt_i32(node, 6, 0), out->rank);
  if (axis < 0 || out->rank != in->rank + 1) {
    return tfm_fail(ctx, TFM_BAD_MODEL, "axis or output rank %d invalid for input rank %d",
                    (int)out->rank, (int)in->rank);
  }
  for (int k = 0; k < node->num_inputs; ++k) {
    if (tfm_tensor_elements(tfm_input(ctx, node, k)) != tfm_tensor_elements(in)) {
      return tfm_fail(ctx, TFM_BAD_MODEL, "input %d shape differs from input 0", k);
    }
  }
  if (out->dims[axis] != node->num_inputs ||
      tfm_tensor_elements(out) != tfm_tensor_elements(in) * node->num_inputs) {
    return tfm_fail(ctx, TFM_BAD_MODEL, "output shape does not match %d inputs",
                    (int)node->num_inputs);
  }
  return TFM_OK;
}

tfm_status tfm_pack_eval_reference(tfm_context *ctx, tfm_node *node) {
  tfm_tensor *out = tfm_output(ctx, node, 0);
  const int axis = tfm_shape_axis(tfm_opt_i32(node, 6, 0), out->rank);
  tfm_shape_join_inputs(ctx, node, 0, out, tfm_shape_product(out, 0, axis));
  return TFM_OK;
}
