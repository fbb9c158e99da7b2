/* PRELU reference kernel: the shared prepare and reference eval of
 * common/prelu.h. */
#include "common/prelu.h"
#include "common/ops.h"
#include "tfm/kernels.h"

const tfm_kernel *tfm_register_prelu(void) {
  static const tfm_kernel kernel =
      TFM_BUILTIN_KERNEL(PRELU, tfm_prelu_prepare, tfm_prelu_eval_reference);
  return &kernel;
}
