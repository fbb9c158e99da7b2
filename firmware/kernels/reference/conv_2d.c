/* CONV_2D reference kernel: the shared prepare and reference eval of
 * common/conv_2d.h. */
#include "common/conv_2d.h"
#include "common/ops.h"
#include "tfm/kernels.h"

const tfm_kernel *tfm_register_conv_2d(void) {
  static const tfm_kernel kernel =
      TFM_BUILTIN_KERNEL(CONV_2D, tfm_conv_2d_prepare, tfm_conv_2d_eval_reference);
  return &kernel;
}
