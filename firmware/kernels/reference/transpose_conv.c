/* TRANSPOSE_CONV reference kernel: the shared prepare and reference eval of
 * common/transpose_conv.h. */
#include "common/transpose_conv.h"
#include "common/ops.h"
#include "tfm/kernels.h"

const tfm_kernel *tfm_register_transpose_conv(void) {
  static const tfm_kernel kernel =
      TFM_BUILTIN_KERNEL(TRANSPOSE_CONV, tfm_transpose_conv_prepare,
                         tfm_transpose_conv_eval_reference);
  return &kernel;
}
