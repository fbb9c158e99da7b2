/* EQUAL reference kernel: the shared prepare and reference eval of
 * common/equal.h. */
#include "common/equal.h"
#include "common/ops.h"
#include "tfm/kernels.h"

const tfm_kernel *tfm_register_equal(void) {
  static const tfm_kernel kernel =
      TFM_BUILTIN_KERNEL(EQUAL, tfm_equal_prepare, tfm_equal_eval_reference);
  return &kernel;
}
