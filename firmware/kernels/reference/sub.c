/* SUB reference kernel: the shared prepare and reference eval of
 * common/sub.h. */
#include "common/sub.h"
#include "common/ops.h"
#include "tfm/kernels.h"

const tfm_kernel *tfm_register_sub(void) {
  static const tfm_kernel kernel = TFM_BUILTIN_KERNEL(SUB, tfm_sub_prepare, tfm_sub_eval_reference);
  return &kernel;
}
