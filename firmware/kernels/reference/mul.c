/* MUL reference kernel: the shared prepare and reference eval of
 * common/mul.h. */
#include "common/mul.h"
#include "common/ops.h"
#include "tfm/kernels.h"

const tfm_kernel *tfm_register_mul(void) {
  static const tfm_kernel kernel = TFM_BUILTIN_KERNEL(MUL, tfm_mul_prepare, tfm_mul_eval_reference);
  return &kernel;
}
