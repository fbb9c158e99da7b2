/* DEPTHWISE_CONV_2D reference kernel: the shared prepare and reference eval of
 * common/depthwise_conv_2d.h. */
#include "common/depthwise_conv_2d.h"
#include "common/ops.h"
#include "tfm/kernels.h"

const tfm_kernel *tfm_register_depthwise_conv_2d(void) {
  static const tfm_kernel kernel =
      TFM_BUILTIN_KERNEL(DEPTHWISE_CONV_2D, tfm_depthwise_conv_2d_prepare,
                         tfm_depthwise_conv_2d_eval_reference);
  return &kernel;
}
