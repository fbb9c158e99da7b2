/* VAR_HANDLE reference kernel: the shared prepare and reference eval of
 * common/var_handle.h. */
#include "common/var_handle.h"
#include "common/ops.h"
#include "tfm/kernels.h"

const tfm_kernel *tfm_register_var_handle(void) {
  static const tfm_kernel kernel =
      TFM_BUILTIN_KERNEL(VAR_HANDLE, tfm_var_handle_prepare, tfm_var_handle_eval_reference);
  return &kernel;
}
