/* HARD_SWISH reference kernel: the shared prepare and reference eval of
 * common/hard_swish.h. */
#include "common/hard_swish.h"
#include "common/ops.h"
#include "tfm/kernels.h"

const tfm_kernel *tfm_register_hard_swish(void) {
  static const tfm_kernel kernel =
      TFM_BUILTIN_KERNEL(HARD_SWISH, tfm_hard_swish_prepare, tfm_hard_swish_eval_reference);
  return &kernel;
}
