/* LOGICAL_AND: BOOL x BOOL -> BOOL with broadcasting (common/compare_common.h). */
#include "common/compare_common.h"
#include "tfm/kernels.h"

static tfm_status prepare(tfm_context *ctx, tfm_node *node) {
  return tfm_logical_prepare(ctx, node, "LOGICAL_AND");
}

static tfm_status eval(tfm_context *ctx, tfm_node *node) {
  return tfm_logical_eval(ctx, node, true);
}

const tfm_kernel *tfm_register_logical_and(void) {
  static const tfm_kernel kernel = {"LOGICAL_AND", 1, prepare, eval};
  return &kernel;
}
