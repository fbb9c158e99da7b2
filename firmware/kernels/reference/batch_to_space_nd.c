/* BATCH_TO_SPACE_ND: 3-D or 4-D, any element type (common/batch_space.h). */
#include "common/batch_space.h"
#include "tfm/kernels.h"

static tfm_status prepare(tfm_context *ctx, tfm_node *node) {
  return tfm_batch_space_prepare(ctx, node, false);
}

static tfm_status eval(tfm_context *ctx, tfm_node *node) {
  return tfm_batch_space_eval(ctx, node, false);
}

const tfm_kernel *tfm_register_batch_to_space_nd(void) {
  static const tfm_kernel kernel = {"BATCH_TO_SPACE_ND", 3, prepare, eval};
  return &kernel;
}
