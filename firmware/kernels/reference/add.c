/* ADD reference kernel: the shared prepare and reference eval of
 * common/add.h. */
#include "common/add.h"
#include "common/ops.h"
#include "tfm/kernels.h"

const tfm_kernel *tfm_register_add(void) {
  static const tfm_kernel kernel = TFM_BUILTIN_KERNEL(ADD, tfm_add_prepare, tfm_add_eval_reference);
  return &kernel;
}
