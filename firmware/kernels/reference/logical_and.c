/* LOGICAL_AND reference kernel: the shared prepare and reference eval of
 * common/logical_and.h. */
#include "common/logical_and.h"
#include "common/ops.h"
#include "tfm/kernels.h"

const tfm_kernel *tfm_register_logical_and(void) {
  static const tfm_kernel kernel =
      TFM_BUILTIN_KERNEL(LOGICAL_AND, tfm_logical_and_prepare, tfm_logical_and_eval_reference);
  return &kernel;
}
