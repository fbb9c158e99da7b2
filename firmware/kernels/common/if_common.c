/* IF shared pieces: prepare and the reference eval (see
 * common/if.h). */
#include "common/if.h"

#include "tfm/interpreter.h"

static tfm_status check_branch(tfm_context *ctx, tfm_node *node, int32_t sg) {
  if (sg <= 0 || sg >= tfm_subgraph_count(ctx) || sg == node->subgraph) {
    return tfm_fail(ctx, TFM_BAD_MODEL, "branch subgraph %d out of range", (int)sg);
  }
  if (tfm_subgraph_num_inputs(ctx, sg) != node->num_inputs - 1 ||
      tfm_subgraph_num_outputs(ctx, sg) != node->num_outputs) {
    return tfm_fail(ctx, TFM_BAD_MODEL, "subgraph %d has %d inputs and %d outputs, the op %d "
                    "and %d", (int)sg, tfm_subgraph_num_inputs(ctx, sg),
                    tfm_subgraph_num_outputs(ctx, sg), node->num_inputs - 1, node->num_outputs);
  }
  for (int i = 1; i < node->num_inputs; ++i) {
    TFM_TRY(tfm_check_copy(ctx, tfm_subgraph_input(ctx, sg, i - 1), tfm_input(ctx, node, i),
                           "input", i));
  }
  for (int i = 0; i < node->num_outputs; ++i) {
    TFM_TRY(tfm_check_copy(ctx, tfm_output(ctx, node, i), tfm_subgraph_output(ctx, sg, i),
                           "output", i));
  }
  return TFM_OK;
}

tfm_status tfm_if_prepare(tfm_context *ctx, tfm_node *node) {
  const tfm_tensor *cond = tfm_input(ctx, node, 0);
  if (cond == NULL || cond->type != TFM_BOOL || tfm_tensor_elements(cond) != 1) {
    return tfm_fail(ctx, TFM_UNSUPPORTED, "input 0 must be a single BOOL condition");
  }
  TFM_TRY(check_branch(ctx, node, tfm_opt_i32(node, 4, 0)));
  return check_branch(ctx, node, tfm_opt_i32(node, 6, 0));
}

tfm_status tfm_if_eval_reference(tfm_context *ctx, tfm_node *node) {
  const tfm_tensor *cond = tfm_input(ctx, node, 0);
  int32_t sg = tfm_opt_i32(node, ((const uint8_t *)cond->data)[0] ? 4 : 6, 0);
  for (int i = 1; i < node->num_inputs; ++i) {
    TFM_TRY(tfm_copy_tensor(ctx, tfm_subgraph_input(ctx, sg, i - 1), tfm_input(ctx, node, i)));
  }
  TFM_TRY(tfm_invoke_subgraph(ctx, sg));
  for (int i = 0; i < node->num_outputs; ++i) {
    TFM_TRY(tfm_copy_tensor(ctx, tfm_output(ctx, node, i), tfm_subgraph_output(ctx, sg, i)));
  }
  return TFM_OK;
}
