/* MINIMUM reference kernel: the shared prepare and reference eval of
 * common/minimum.h. */
#include "common/minimum.h"
#include "common/ops.h"
#include "tfm/kernels.h"

const tfm_kernel *tfm_register_minimum(void) {
  static const tfm_kernel kernel =
      TFM_BUILTIN_KERNEL(MINIMUM, tfm_minimum_prepare, tfm_minimum_eval_reference);
  return &kernel;
}
