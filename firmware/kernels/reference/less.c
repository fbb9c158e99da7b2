/* LESS reference kernel: the shared prepare and reference eval of
 * common/less.h. */
#include "common/less.h"
#include "common/ops.h"
#include "tfm/kernels.h"

const tfm_kernel *tfm_register_less(void) {
  static const tfm_kernel kernel =
      TFM_BUILTIN_KERNEL(LESS, tfm_less_prepare, tfm_less_eval_reference);
  return &kernel;
}
