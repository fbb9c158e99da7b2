/* LOGICAL_NOT reference kernel: the shared prepare and reference eval of
 * common/logical_not.h. */
#include "common/logical_not.h"
#include "common/ops.h"
#include "tfm/kernels.h"

const tfm_kernel *tfm_register_logical_not(void) {
  static const tfm_kernel kernel =
      TFM_BUILTIN_KERNEL(LOGICAL_NOT, tfm_logical_not_prepare, tfm_logical_not_eval_reference);
  return &kernel;
}
