/* DEPTH_TO_SPACE: NHWC, any element type (common/space_depth.h). */
#include "common/depth_to_space.h"

#include "common/space_depth.h"
#include "tfm/kernels.h"

tfm_status tfm_depth_to_space_prepare(tfm_context *ctx, tfm_node *node) {
  return tfm_space_depth_prepare(ctx, node, true);
}

tfm_status tfm_depth_to_space_eval_reference(tfm_context *ctx, tfm_node *node) {
  return tfm_space_depth_eval(ctx, node, true);
}
