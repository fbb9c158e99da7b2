/* DEQUANTIZE reference kernel: the shared prepare and reference eval of
 * common/dequantize.h. */
#include "common/dequantize.h"
#include "common/ops.h"
#include "tfm/kernels.h"

const tfm_kernel *tfm_register_dequantize(void) {
  static const tfm_kernel kernel =
      TFM_BUILTIN_KERNEL(DEQUANTIZE, tfm_dequantize_prepare, tfm_dequantize_eval_reference);
  return &kernel;
}
