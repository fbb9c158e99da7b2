/* RELU6 shared pieces: prepare and the reference eval (see
 * common/relu6.h). */
#include "common/relu6.h"

#include "common/activation_common.h"

tfm_status tfm_relu6_prepare(tfm_context *ctx, tfm_node *node) {
  return tfm_relux_prepare(ctx, node, "RELU6", 6.0f);
}
