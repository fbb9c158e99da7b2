/* SUB shared pieces: prepare and the reference eval (see
 * common/sub.h). */
#include "common/sub.h"

#include "common/binary_common.h"

tfm_status tfm_sub_prepare(tfm_context *ctx, tfm_node *node) {
  return tfm_add_sub_prepare(ctx, node, "SUB");
}

tfm_status tfm_sub_eval_reference(tfm_context *ctx, tfm_node *node) {
  return tfm_add_sub_eval(ctx, node, -1);
}
