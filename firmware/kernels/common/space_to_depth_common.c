/* SPACE_TO_DEPTH: NHWC, any element type (common/space_depth.h). */
#include "common/space_to_depth.h"

#include "common/space_depth.h"
#include "tfm/kernels.h"

tfm_status tfm_space_to_depth_prepare(tfm_context *ctx, tfm_node *node) {
  return tfm_space_depth_prepare(ctx, node, false);
}

tfm_status tfm_space_to_depth_eval_reference(tfm_context *ctx, tfm_node *node) {
  return tfm_space_depth_eval(ctx, node, false);
}
