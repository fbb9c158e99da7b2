/* GREATER_EQUAL reference kernel: the shared prepare and reference eval of
 * common/greater_equal.h. */
#include "common/greater_equal.h"
#include "common/ops.h"
#include "tfm/kernels.h"

const tfm_kernel *tfm_register_greater_equal(void) {
  static const tfm_kernel kernel =
      TFM_BUILTIN_KERNEL(GREATER_EQUAL, tfm_greater_equal_prepare, tfm_greater_equal_eval_reference);
  return &kernel;
}
