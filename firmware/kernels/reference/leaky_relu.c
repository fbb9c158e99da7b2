/* LEAKY_RELU reference kernel: the shared prepare and reference eval of
 * common/leaky_relu.h. */
#include "common/leaky_relu.h"
#include "common/ops.h"
#include "tfm/kernels.h"

const tfm_kernel *tfm_register_leaky_relu(void) {
  static const tfm_kernel kernel =
      TFM_BUILTIN_KERNEL(LEAKY_RELU, tfm_leaky_relu_prepare, tfm_leaky_relu_eval_reference);
  return &kernel;
}
