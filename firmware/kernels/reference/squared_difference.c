/* SQUARED_DIFFERENCE reference kernel: the shared prepare and reference eval of
 * common/squared_difference.h. */
#include "common/squared_difference.h"
#include "common/ops.h"
#include "tfm/kernels.h"

const tfm_kernel *tfm_register_squared_difference(void) {
  static const tfm_kernel kernel =
      TFM_BUILTIN_KERNEL(SQUARED_DIFFERENCE, tfm_squared_difference_prepare, tfm_squared_difference_eval_reference);
  return &kernel;
}
