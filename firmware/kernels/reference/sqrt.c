/* SQRT reference kernel: the shared prepare and reference eval of
 * common/sqrt.h. */
#include "common/sqrt.h"
#include "common/ops.h"
#include "tfm/kernels.h"

const tfm_kernel *tfm_register_sqrt(void) {
  static const tfm_kernel kernel =
      TFM_BUILTIN_KERNEL(SQRT, tfm_sqrt_prepare, tfm_sqrt_eval_reference);
  return &kernel;
}
