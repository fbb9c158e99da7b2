/* L2_POOL_2D reference kernel: the shared prepare and reference eval of
 * common/l2_pool_2d.h. */
#include "common/l2_pool_2d.h"
#include "common/ops.h"
#include "tfm/kernels.h"

const tfm_kernel *tfm_register_l2_pool_2d(void) {
  static const tfm_kernel kernel =
      TFM_BUILTIN_KERNEL(L2_POOL_2D, tfm_l2_pool_2d_prepare, tfm_l2_pool_2d_eval_reference);
  return &kernel;
}
