/* EXP reference kernel: the shared prepare and reference eval of
 * common/exp.h. */
#include "common/exp.h"
#include "common/ops.h"
#include "tfm/kernels.h"

const tfm_kernel *tfm_register_exp(void) {
  static const tfm_kernel kernel =
      TFM_BUILTIN_KERNEL(EXP, tfm_exp_prepare, tfm_exp_eval_reference);
  return &kernel;
}
