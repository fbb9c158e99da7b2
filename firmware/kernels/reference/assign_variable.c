/* ASSIGN_VARIABLE reference kernel: the shared prepare and reference eval of
 * common/assign_variable.h. */
#include "common/assign_variable.h"
#include "common/ops.h"
#include "tfm/kernels.h"

const tfm_kernel *tfm_register_assign_variable(void) {
  static const tfm_kernel kernel =
      TFM_BUILTIN_KERNEL(ASSIGN_VARIABLE, tfm_assign_variable_prepare,
                         tfm_assign_variable_eval_reference);
  return &kernel;
}
