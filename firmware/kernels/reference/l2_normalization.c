/* L2_NORMALIZATION reference kernel: the shared prepare and reference eval of
 * common/l2_normalization.h. */
#include "common/l2_normalization.h"
#include "common/ops.h"
#include "tfm/kernels.h"

const tfm_kernel *tfm_register_l2_normalization(void) {
  static const tfm_kernel kernel =
      TFM_BUILTIN_KERNEL(L2_NORMALIZATION, tfm_l2_normalization_prepare, tfm_l2_normalization_eval_reference);
  return &kernel;
}
