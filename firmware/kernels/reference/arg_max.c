/* ARG_MAX reference kernel: the shared prepare and reference eval of
 * common/arg_max.h. */
#include "common/arg_max.h"
#include "common/ops.h"
#include "tfm/kernels.h"

const tfm_kernel *tfm_register_arg_max(void) {
  static const tfm_kernel kernel =
      TFM_BUILTIN_KERNEL(ARG_MAX, tfm_arg_max_prepare, tfm_arg_max_eval_reference);
  return &kernel;
}
