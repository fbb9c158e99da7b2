/* ABS reference kernel: the shared prepare and reference eval of
 * common/abs.h. */
#include "common/abs.h"
#include "common/ops.h"
#include "tfm/kernels.h"

const tfm_kernel *tfm_register_abs(void) {
  static const tfm_kernel kernel =
      TFM_BUILTIN_KERNEL(ABS, tfm_abs_prepare, tfm_abs_eval_reference);
  return &kernel;
}
