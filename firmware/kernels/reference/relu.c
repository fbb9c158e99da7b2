/* RELU reference kernel: the shared prepare and reference eval of
 * common/relu.h. */
#include "common/relu.h"
#include "common/ops.h"
#include "tfm/kernels.h"

const tfm_kernel *tfm_register_relu(void) {
  static const tfm_kernel kernel =
      TFM_BUILTIN_KERNEL(RELU, tfm_relu_prepare, tfm_relu_eval_reference);
  return &kernel;
}
