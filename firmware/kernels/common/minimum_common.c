/* MINIMUM shared pieces: prepare and the reference eval (see
 * common/minimum.h). */
#include "common/minimum.h"

#include "common/binary_common.h"

tfm_status tfm_minimum_prepare(tfm_context *ctx, tfm_node *node) {
  return tfm_max_min_prepare(ctx, node, "MINIMUM");
}

tfm_status tfm_minimum_eval_reference(tfm_context *ctx, tfm_node *node) {
  return tfm_max_min_eval(ctx, node, false);
}
