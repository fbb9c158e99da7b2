/* MAXIMUM: int8, int16, int32, float32 with broadcasting. */
#include "common/binary_common.h"
#include "common/ops.h"
#include "tfm/kernels.h"

static tfm_status prepare(tfm_context *ctx, tfm_node *node) {
  return tfm_max_min_prepare(ctx, node, "MAXIMUM");
}

static tfm_status eval(tfm_context *ctx, tfm_node *node) {
  return tfm_max_min_eval(ctx, node, true);
}

const tfm_kernel *tfm_register_maximum(void) {
  static const tfm_kernel kernel = TFM_BUILTIN_KERNEL(MAXIMUM, prepare, eval);
  return &kernel;
}
