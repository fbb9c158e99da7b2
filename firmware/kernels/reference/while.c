/* WHILE reference kernel: the shared prepare and reference eval of
 * common/while.h. */
#include "common/while.h"
#include "common/ops.h"
#include "tfm/kernels.h"

const tfm_kernel *tfm_register_while(void) {
  static const tfm_kernel kernel =
      TFM_BUILTIN_KERNEL(WHILE, tfm_while_prepare, tfm_while_eval_reference);
  return &kernel;
}
