/* GREATER reference kernel: the shared prepare and reference eval of
 * common/greater.h. */
#include "common/greater.h"
#include "common/ops.h"
#include "tfm/kernels.h"

const tfm_kernel *tfm_register_greater(void) {
  static const tfm_kernel kernel =
      TFM_BUILTIN_KERNEL(GREATER, tfm_greater_prepare, tfm_greater_eval_reference);
  return &kernel;
}
