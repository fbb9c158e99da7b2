/* SUM reference kernel: the shared prepare and reference eval of
 * common/sum.h. */
#include "common/sum.h"
#include "common/ops.h"
#include "tfm/kernels.h"

const tfm_kernel *tfm_register_sum(void) {
  static const tfm_kernel kernel = TFM_BUILTIN_KERNEL(SUM, tfm_sum_prepare, tfm_sum_eval_reference);
  return &kernel;
}
