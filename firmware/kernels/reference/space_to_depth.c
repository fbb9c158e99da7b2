/* SPACE_TO_DEPTH: NHWC, any element type (common/space_depth.h). */
#include "common/space_depth.h"
#include "tfm/kernels.h"

static tfm_status prepare(tfm_context *ctx, tfm_node *node) {
  return tfm_space_depth_prepare(ctx, node, false);
}

static tfm_status eval(tfm_context *ctx, tfm_node *node) {
  return tfm_space_depth_eval(ctx, node, false);
}

const tfm_kernel *tfm_register_space_to_depth(void) {
  static const tfm_kernel kernel = {"SPACE_TO_DEPTH", 2, prepare, eval};
  return &kernel;
}
