/* ARG_MIN reference kernel: the shared prepare and reference eval of
 * common/arg_min.h. */
#include "common/arg_min.h"
#include "common/ops.h"
#include "tfm/kernels.h"

const tfm_kernel *tfm_register_arg_min(void) {
  static const tfm_kernel kernel =
      TFM_BUILTIN_KERNEL(ARG_MIN, tfm_arg_min_prepare, tfm_arg_min_eval_reference);
  return &kernel;
}
