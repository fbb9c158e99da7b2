/* DEPTH_TO_SPACE: NHWC, any element type (common/space_depth.h). */
#include "common/space_depth.h"
#include "tfm/kernels.h"

static tfm_status prepare(tfm_context *ctx, tfm_node *node) {
  return tfm_space_depth_prepare(ctx, node, true);
}

static tfm_status eval(tfm_context *ctx, tfm_node *node) {
  return tfm_space_depth_eval(ctx, node, true);
}

const tfm_kernel *tfm_register_depth_to_space(void) {
  static const tfm_kernel kernel = {"DEPTH_TO_SPACE", 2, prepare, eval};
  return &kernel;
}
