/* MAXIMUM reference kernel: the shared prepare and reference eval of
 * common/maximum.h. */
#include "common/maximum.h"
#include "common/ops.h"
#include "tfm/kernels.h"

const tfm_kernel *tfm_register_maximum(void) {
  static const tfm_kernel kernel =
      TFM_BUILTIN_KERNEL(MAXIMUM, tfm_maximum_prepare, tfm_maximum_eval_reference);
  return &kernel;
}
