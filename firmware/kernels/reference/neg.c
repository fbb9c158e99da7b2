/* NEG reference kernel: the shared prepare and reference eval of
 * common/neg.h. */
#include "common/neg.h"
#include "common/ops.h"
#include "tfm/kernels.h"

const tfm_kernel *tfm_register_neg(void) {
  static const tfm_kernel kernel =
      TFM_BUILTIN_KERNEL(NEG, tfm_neg_prepare, tfm_neg_eval_reference);
  return &kernel;
}
