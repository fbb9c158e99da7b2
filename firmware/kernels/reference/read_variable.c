/* READ_VARIABLE reference kernel: the shared prepare and reference eval of
 * common/read_variable.h. */
#include "common/read_variable.h"
#include "common/ops.h"
#include "tfm/kernels.h"

const tfm_kernel *tfm_register_read_variable(void) {
  static const tfm_kernel kernel =
      TFM_BUILTIN_KERNEL(READ_VARIABLE, tfm_read_variable_prepare,
                         tfm_read_variable_eval_reference);
  return &kernel;
}
