/* SUM over the axes in input 1 (arithmetic in common/reduce_common.h). */
#include "common/ops.h"
#include "common/reduce_common.h"
#include "tfm/kernels.h"

static tfm_status prepare(tfm_context *ctx, tfm_node *node) {
  return tfm_reduce_prepare(ctx, node, TFM_REDUCE_SUM);
}

static tfm_status eval(tfm_context *ctx, tfm_node *node) {
  return tfm_reduce_eval(ctx, node, TFM_REDUCE_SUM);
}

const tfm_kernel *tfm_register_sum(void) {
  static const tfm_kernel kernel = TFM_BUILTIN_KERNEL(SUM, prepare, eval);
  return &kernel;
}
