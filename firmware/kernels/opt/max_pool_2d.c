/* "opt" MAX_POOL_2D: replaces kernels/reference/max_pool_2d.c in kernel set "opt".
 * Prepare, float32 and int16 are the shared ones of common/max_pool_2d.h; int8
 * runs four channels at a time (opt_pool.h), bit-exact. */
#include "common/max_pool_2d.h"
#include "common/ops.h"
#include "opt_pool.h"
#include "tfm/kernels.h"

static tfm_status opt_pool_eval(tfm_context *ctx, tfm_node *node) {
  const tfm_tensor *in = tfm_input(ctx, node, 0);
  if (in->type != TFM_INT8) return tfm_max_pool_2d_eval_reference(ctx, node);
  opt_pool_s8((const tfm_pool_data *)node->data, (const int8_t *)in->data,
              (int8_t *)tfm_output(ctx, node, 0)->data, true);
  return TFM_OK;
}

const tfm_kernel *tfm_register_max_pool_2d(void) {
  static const tfm_kernel kernel =
      TFM_BUILTIN_KERNEL(MAX_POOL_2D, tfm_max_pool_2d_prepare, opt_pool_eval);
  return &kernel;
}
