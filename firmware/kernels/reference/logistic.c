/* LOGISTIC reference kernel: the shared prepare and reference eval of
 * common/logistic.h. */
#include "common/logistic.h"
#include "common/ops.h"
#include "tfm/kernels.h"

const tfm_kernel *tfm_register_logistic(void) {
  static const tfm_kernel kernel =
      TFM_BUILTIN_KERNEL(LOGISTIC, tfm_logistic_prepare, tfm_logistic_eval_reference);
  return &kernel;
}
