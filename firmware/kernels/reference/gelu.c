/* GELU reference kernel: the shared prepare and reference eval of
 * common/gelu.h. */
#include "common/gelu.h"
#include "common/ops.h"
#include "tfm/kernels.h"

const tfm_kernel *tfm_register_gelu(void) {
  static const tfm_kernel kernel =
      TFM_BUILTIN_KERNEL(GELU, tfm_gelu_prepare, tfm_gelu_eval_reference);
  return &kernel;
}
