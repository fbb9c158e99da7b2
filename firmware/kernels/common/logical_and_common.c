/* LOGICAL_AND: BOOL x BOOL -> BOOL with broadcasting (common/compare_common.h). */
#include "common/logical_and.h"

#include "common/compare_common.h"
#include "tfm/kernels.h"

tfm_status tfm_logical_and_prepare(tfm_context *ctx, tfm_node *node) {
  return tfm_logical_prepare(ctx, node, "LOGICAL_AND");
}

tfm_status tfm_logical_and_eval_reference(tfm_context *ctx, tfm_node *node) {
  return tfm_logical_eval(ctx, node, true);
}
