/* SIN reference kernel: the shared prepare and reference eval of
 * common/sin.h. */
#include "common/sin.h"
#include "common/ops.h"
#include "tfm/kernels.h"

const tfm_kernel *tfm_register_sin(void) {
  static const tfm_kernel kernel =
      TFM_BUILTIN_KERNEL(SIN, tfm_sin_prepare, tfm_sin_eval_reference);
  return &kernel;
}
