/* RELU6 reference kernel: the shared prepare and reference eval of
 * common/relu6.h. */
#include "common/relu6.h"
#include "common/ops.h"
#include "tfm/kernels.h"

const tfm_kernel *tfm_register_relu6(void) {
  static const tfm_kernel kernel =
      TFM_BUILTIN_KERNEL(RELU6, tfm_relu6_prepare, tfm_relu6_eval_reference);
  return &kernel;
}
