/* MAXIMUM shared pieces: prepare and the reference eval (see
 * common/maximum.h). */
#include "common/maximum.h"

#include "common/binary_common.h"

tfm_status tfm_maximum_prepare(tfm_context *ctx, tfm_node *node) {
  return tfm_max_min_prepare(ctx, node, "MAXIMUM");
}

tfm_status tfm_maximum_eval_reference(tfm_context *ctx, tfm_node *node) {
  return tfm_max_min_eval(ctx, node, true);
}
