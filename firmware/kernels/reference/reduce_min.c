/* REDUCE_MIN reference kernel: the shared prepare and reference eval of
 * common/reduce_min.h. */
#include "common/reduce_min.h"
#include "common/ops.h"
#include "tfm/kernels.h"

const tfm_kernel *tfm_register_reduce_min(void) {
  static const tfm_kernel kernel =
      TFM_BUILTIN_KERNEL(REDUCE_MIN, tfm_reduce_min_prepare, tfm_reduce_min_eval_reference);
  return &kernel;
}
