/* RELU6: int8, int16, float32. */
#include "common/activation_common.h"
#include "common/ops.h"
#include "tfm/kernels.h"

static tfm_status prepare(tfm_context *ctx, tfm_node *node) {
  return tfm_relux_prepare(ctx, node, "RELU6", 6.0f);
}

const tfm_kernel *tfm_register_relu6(void) {
  static const tfm_kernel kernel = TFM_BUILTIN_KERNEL(RELU6, prepare, tfm_relux_eval);
  return &kernel;
}
