/* SPLIT_V shared pieces: prepare and the reference eval (see
 * common/split_v.h). */
#include "common/split_v.h"

#include "common/shape_common.h"

tfm_status tfm_split_v_prepare(tfm_context *ctx, tfm_node *node) {
  if (node->num_inputs != 3 || node->num_outputs < 1) {
    return tfm_fail(ctx, TFM_BAD_MODEL, "needs 3 inputs and >= 1 output");
  }
  const tfm_tensor *in = tfm_input(ctx, node, 0);
  const tfm_tensor *axis = tfm_input(ctx, node, 2);
  TFM_ENSURE(ctx, in != NULL && axis != NULL);
  TFM_TRY(tfm_shape_split_check_types(ctx, node, in, axis));
  for (int k = 0; k < node->num_outputs; ++k) {
    const tfm_tensor *out = tfm_output(ctx, node, k);
    if (out->rank != in->rank) {
      return tfm_fail(ctx, TFM_BAD_MODEL, "output %d rank %d differs from input rank %d", k,
                      (int)out->rank, (int)in->rank);
    }
  }
  return tfm_shape_split_check_sizes(ctx, node, in);
}

tfm_status tfm_split_v_eval_reference(tfm_context *ctx, tfm_node *node) {
  return tfm_shape_split_eval(ctx, node, tfm_input(ctx, node, 0), tfm_input(ctx, node, 2), false);
}
