/* CALL_ONCE: runs its init subgraph on the first invoke (and again after
 * tfm_interpreter_reset), as TFLite's call_once.cc. */
#include "common/ops.h"
#include "tfm/interpreter.h"
#include "tfm/kernels.h"

typedef struct call_once_data {
  uint32_t generation;  /* reset generation of the last run */
  uint8_t done;
} call_once_data;

static tfm_status prepare(tfm_context *ctx, tfm_node *node) {
  int32_t sg = tfm_opt_i32(node, 4, 0);
  if (sg <= 0 || sg >= tfm_subgraph_count(ctx) || sg == node->subgraph) {
    return tfm_fail(ctx, TFM_BAD_MODEL, "init subgraph %d out of range", (int)sg);
  }
  if (node->num_inputs != 0 || node->num_outputs != 0 || tfm_subgraph_num_inputs(ctx, sg) != 0 ||
      tfm_subgraph_num_outputs(ctx, sg) != 0) {
    return tfm_fail(ctx, TFM_UNSUPPORTED, "CALL_ONCE and its init subgraph take no tensors");
  }
  return tfm_alloc_persistent(ctx, sizeof(call_once_data), &node->data);
}

static tfm_status eval(tfm_context *ctx, tfm_node *node) {
  call_once_data *d = (call_once_data *)node->data;
  uint32_t gen = tfm_generation(ctx);
  if (d->done && d->generation == gen) return TFM_OK;
  TFM_TRY(tfm_invoke_subgraph(ctx, tfm_opt_i32(node, 4, 0)));
  d->done = 1;
  d->generation = gen;
  return TFM_OK;
}

const tfm_kernel *tfm_register_call_once(void) {
  static const tfm_kernel kernel = TFM_BUILTIN_KERNEL(CALL_ONCE, prepare, eval);
  return &kernel;
}
