/* LOGICAL_OR: BOOL x BOOL -> BOOL with broadcasting (common/compare_common.h). */
#include "common/logical_or.h"

#include "common/compare_common.h"
#include "tfm/kernels.h"

tfm_status tfm_logical_or_prepare(tfm_context *ctx, tfm_node *node) {
  return tfm_logical_prepare(ctx, node, "LOGICAL_OR");
}

tfm_status tfm_logical_or_eval_reference(tfm_context *ctx, tfm_node *node) {
  return tfm_logical_eval(ctx, node, false);
}
