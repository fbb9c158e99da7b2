/* BATCH_TO_SPACE_ND: 3-D or 4-D, any element type (common/batch_space.h). */
#include "common/batch_to_space_nd.h"

#include "common/batch_space.h"
#include "tfm/kernels.h"

tfm_status tfm_batch_to_space_nd_prepare(tfm_context *ctx, tfm_node *node) {
  return tfm_batch_space_prepare(ctx, node, false);
}

tfm_status tfm_batch_to_space_nd_eval_reference(tfm_context *ctx, tfm_node *node) {
  return tfm_batch_space_eval(ctx, node, false);
}
