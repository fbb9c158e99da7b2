/* REDUCE_MAX reference kernel: the shared prepare and reference eval of
 * common/reduce_max.h. */
#include "common/reduce_max.h"
#include "common/ops.h"
#include "tfm/kernels.h"

const tfm_kernel *tfm_register_reduce_max(void) {
  static const tfm_kernel kernel =
      TFM_BUILTIN_KERNEL(REDUCE_MAX, tfm_reduce_max_prepare, tfm_reduce_max_eval_reference);
  return &kernel;
}
