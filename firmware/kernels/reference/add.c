/* ADD: int8, int16, int32, float32 with broadcasting and fused activation. */
#include "common/binary_common.h"
#include "common/ops.h"
#include "tfm/kernels.h"

static tfm_status prepare(tfm_context *ctx, tfm_node *node) {
  return tfm_add_sub_prepare(ctx, node, "ADD");
}

static tfm_status eval(tfm_context *ctx, tfm_node *node) {
  return tfm_add_sub_eval(ctx, node, 1);
}

const tfm_kernel *tfm_register_add(void) {
  static const tfm_kernel kernel = TFM_BUILTIN_KERNEL(ADD, prepare, eval);
  return &kernel;
}
