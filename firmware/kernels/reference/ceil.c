/* CEIL reference kernel: the shared prepare and reference eval of
 * common/ceil.h. */
#include "common/ceil.h"
#include "common/ops.h"
#include "tfm/kernels.h"

const tfm_kernel *tfm_register_ceil(void) {
  static const tfm_kernel kernel =
      TFM_BUILTIN_KERNEL(CEIL, tfm_ceil_prepare, tfm_ceil_eval_reference);
  return &kernel;
}
