/* MAX_POOL_2D reference kernel: the shared prepare and reference eval of
 * common/max_pool_2d.h. */
#include "common/max_pool_2d.h"
#include "common/ops.h"
#include "tfm/kernels.h"

const tfm_kernel *tfm_register_max_pool_2d(void) {
  static const tfm_kernel kernel =
      TFM_BUILTIN_KERNEL(MAX_POOL_2D, tfm_max_pool_2d_prepare, tfm_max_pool_2d_eval_reference);
  return &kernel;
}
