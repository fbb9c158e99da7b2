/* LESS_EQUAL reference kernel: the shared prepare and reference eval of
 * common/less_equal.h. */
#include "common/less_equal.h"
#include "common/ops.h"
#include "tfm/kernels.h"

const tfm_kernel *tfm_register_less_equal(void) {
  static const tfm_kernel kernel =
      TFM_BUILTIN_KERNEL(LESS_EQUAL, tfm_less_equal_prepare, tfm_less_equal_eval_reference);
  return &kernel;
}
