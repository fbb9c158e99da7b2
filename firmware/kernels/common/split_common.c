/* SPLIT shared pieces: prepare and the reference eval (see
 * common/split.h). */
#include "common/split.h"

#include "common/shape_common.h"

tfm_status tfm_split_prepare(tfm_context *ctx, tfm_node *node) {
  if (node->num_inputs != 2 || node->num_outputs < 1) {
    return tfm_fail(ctx, TFM_BAD_MODEL, "needs 2 inputs and >= 1 output");
  }
  const tfm_tensor *axis = tfm_input(ctx, node, 0);
  const tfm_tensor *in = tfm_input(ctx, node, 1);
  TFM_ENSURE(ctx, axis != NULL && in != NULL);
  TFM_TRY(tfm_shape_split_check_types(ctx, node, in, axis));
  const int32_t splits = tfm_opt_i32(node, 4, node->num_outputs);
  if (splits != node->num_outputs) {
    return tfm_fail(ctx, TFM_BAD_MODEL, "num_splits %ld but %d outputs", (long)splits,
                    (int)node->num_outputs);
  }
  TFM_TRY(tfm_shape_split_check_sizes(ctx, node, in));
  if (axis->data != NULL &&
      tfm_shape_axis((int32_t)tfm_shape_read_index(axis, 0), in->rank) < 0) {
    return tfm_fail(ctx, TFM_BAD_MODEL, "axis out of range for rank %d", (int)in->rank);
  }
  return TFM_OK;
}

tfm_status tfm_split_eval_reference(tfm_context *ctx, tfm_node *node) {
  return tfm_shape_split_eval(ctx, node, tfm_input(ctx, node, 1), tfm_input(ctx, node, 0), true);
}
