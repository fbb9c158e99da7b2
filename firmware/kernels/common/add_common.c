/* ADD shared pieces: prepare and the reference eval (see
 * common/add.h). */
#include "common/add.h"

#include "common/binary_common.h"

tfm_status tfm_add_prepare(tfm_context *ctx, tfm_node *node) {
  return tfm_add_sub_prepare(ctx, node, "ADD");
}

tfm_status tfm_add_eval_reference(tfm_context *ctx, tfm_node *node) {
  return tfm_add_sub_eval(ctx, node, 1);
}
