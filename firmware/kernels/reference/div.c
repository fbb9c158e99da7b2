/* DIV reference kernel: the shared prepare and reference eval of
 * common/div.h. */
#include "common/div.h"
#include "common/ops.h"
#include "tfm/kernels.h"

const tfm_kernel *tfm_register_div(void) {
  static const tfm_kernel kernel = TFM_BUILTIN_KERNEL(DIV, tfm_div_prepare, tfm_div_eval_reference);
  return &kernel;
}
