/* MEAN reference kernel: the shared prepare and reference eval of
 * common/mean.h. */
#include "common/mean.h"
#include "common/ops.h"
#include "tfm/kernels.h"

const tfm_kernel *tfm_register_mean(void) {
  static const tfm_kernel kernel =
      TFM_BUILTIN_KERNEL(MEAN, tfm_mean_prepare, tfm_mean_eval_reference);
  return &kernel;
}
