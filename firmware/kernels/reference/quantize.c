/* QUANTIZE reference kernel: the shared prepare and reference eval of
 * common/quantize.h. */
#include "common/quantize.h"
#include "common/ops.h"
#include "tfm/kernels.h"

const tfm_kernel *tfm_register_quantize(void) {
  static const tfm_kernel kernel =
      TFM_BUILTIN_KERNEL(QUANTIZE, tfm_quantize_prepare, tfm_quantize_eval_reference);
  return &kernel;
}
