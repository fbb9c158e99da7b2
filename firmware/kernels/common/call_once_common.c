/* CALL_ONCE shared pieces: prepare and the reference eval (see
 * common/call_once.h). */
#include "common/call_once.h"

#include "tfm/interpreter.h"

tfm_status tfm_call_once_prepare(tfm_context *ctx, tfm_node *node) {
  int32_t sg = tfm_opt_i32(node, 4, 0);
  if (sg <= 0 || sg >= tfm_subgraph_count(ctx) || sg == node->subgraph) {
    return tfm_fail(ctx, TFM_BAD_MODEL, "init subgraph %d out of range", (int)sg);
  }
  if (node->num_inputs != 0 || node->num_outputs != 0 || tfm_subgraph_num_inputs(ctx, sg) != 0 ||
      tfm_subgraph_num_outputs(ctx, sg) != 0) {
    return tfm_fail(ctx, TFM_UNSUPPORTED, "CALL_ONCE and its init subgraph take no tensors");
  }
  return tfm_alloc_persistent(ctx, sizeof(TfmCallOnceData), &node->data);
}

tfm_status tfm_call_once_eval_reference(tfm_context *ctx, tfm_node *node) {
  TfmCallOnceData *d = (TfmCallOnceData *)node->data;
  uint32_t gen = tfm_generation(ctx);
  if (d->done && d->generation == gen) return TFM_OK;
  TFM_TRY(tfm_invoke_subgraph(ctx, tfm_opt_i32(node, 4, 0)));
  d->done = 1;
  d->generation = gen;
  return TFM_OK;
}
