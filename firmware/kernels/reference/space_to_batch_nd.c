/* SPACE_TO_BATCH_ND: 3-D or 4-D, any element type (common/batch_space.h). */
#include "common/batch_space.h"
#include "tfm/kernels.h"

static tfm_status prepare(tfm_context *ctx, tfm_node *node) {
  return tfm_batch_space_prepare(ctx, node, true);
}

static tfm_status eval(tfm_context *ctx, tfm_node *node) {
  return tfm_batch_space_eval(ctx, node, true);
}

const tfm_kernel *tfm_register_space_to_batch_nd(void) {
  static const tfm_kernel kernel = {"SPACE_TO_BATCH_ND", 3, prepare, eval};
  return &kernel;
}
