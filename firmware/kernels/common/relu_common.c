/* RELU shared pieces: prepare and the reference eval (see
 * common/relu.h). */
#include "common/relu.h"

#include "common/activation_common.h"

tfm_status tfm_relu_prepare(tfm_context *ctx, tfm_node *node) {
  return tfm_relux_prepare(ctx, node, "RELU", -1.0f);
}
