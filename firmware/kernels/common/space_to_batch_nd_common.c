/* SPACE_TO_BATCH_ND: 3-D or 4-D, any element type (common/batch_space.h). */
#include "common/space_to_batch_nd.h"

#include "common/batch_space.h"
#include "tfm/kernels.h"

tfm_status tfm_space_to_batch_nd_prepare(tfm_context *ctx, tfm_node *node) {
  return tfm_batch_space_prepare(ctx, node, true);
}

tfm_status tfm_space_to_batch_nd_eval_reference(tfm_context *ctx, tfm_node *node) {
  return tfm_batch_space_eval(ctx, node, true);
}
