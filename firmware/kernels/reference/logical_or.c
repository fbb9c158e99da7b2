/* LOGICAL_OR reference kernel: the shared prepare and reference eval of
 * common/logical_or.h. */
#include "common/logical_or.h"
#include "common/ops.h"
#include "tfm/kernels.h"

const tfm_kernel *tfm_register_logical_or(void) {
  static const tfm_kernel kernel =
      TFM_BUILTIN_KERNEL(LOGICAL_OR, tfm_logical_or_prepare, tfm_logical_or_eval_reference);
  return &kernel;
}
