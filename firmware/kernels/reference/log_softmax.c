/* LOG_SOFTMAX reference kernel: the shared prepare and reference eval of
 * common/log_softmax.h. */
#include "common/log_softmax.h"
#include "common/ops.h"
#include "tfm/kernels.h"

const tfm_kernel *tfm_register_log_softmax(void) {
  static const tfm_kernel kernel =
      TFM_BUILTIN_KERNEL(LOG_SOFTMAX, tfm_log_softmax_prepare, tfm_log_softmax_eval_reference);
  return &kernel;
}
