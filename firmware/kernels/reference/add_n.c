/* ADD_N reference kernel: the shared prepare and reference eval of
 * common/add_n.h. */
#include "common/add_n.h"
#include "common/ops.h"
#include "tfm/kernels.h"

const tfm_kernel *tfm_register_add_n(void) {
  static const tfm_kernel kernel =
      TFM_BUILTIN_KERNEL(ADD_N, tfm_add_n_prepare, tfm_add_n_eval_reference);
  return &kernel;
}
