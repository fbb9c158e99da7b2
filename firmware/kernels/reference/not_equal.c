/* NOT_EQUAL reference kernel: the shared prepare and reference eval of
 * common/not_equal.h. */
#include "common/not_equal.h"
#include "common/ops.h"
#include "tfm/kernels.h"

const tfm_kernel *tfm_register_not_equal(void) {
  static const tfm_kernel kernel =
      TFM_BUILTIN_KERNEL(NOT_EQUAL, tfm_not_equal_prepare, tfm_not_equal_eval_reference);
  return &kernel;
}
