/* AVERAGE_POOL_2D reference kernel: the shared prepare and reference eval of
 * common/average_pool_2d.h. */
#include "common/average_pool_2d.h"
#include "common/ops.h"
#include "tfm/kernels.h"

const tfm_kernel *tfm_register_average_pool_2d(void) {
  static const tfm_kernel kernel = TFM_BUILTIN_KERNEL(AVERAGE_POOL_2D, tfm_average_pool_2d_prepare,
                                                       tfm_average_pool_2d_eval_reference);
  return &kernel;
}
