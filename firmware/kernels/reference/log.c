/* LOG reference kernel: the shared prepare and reference eval of
 * common/log.h. */
#include "common/log.h"
#include "common/ops.h"
#include "tfm/kernels.h"

const tfm_kernel *tfm_register_log(void) {
  static const tfm_kernel kernel =
      TFM_BUILTIN_KERNEL(LOG, tfm_log_prepare, tfm_log_eval_reference);
  return &kernel;
}
