/* CONCATENATION reference kernel: the shared prepare and reference eval of
 * common/concatenation.h. */
#include "common/concatenation.h"
#include "common/ops.h"
#include "tfm/kernels.h"

const tfm_kernel *tfm_register_concatenation(void) {
  static const tfm_kernel kernel =
      TFM_BUILTIN_KERNEL(CONCATENATION, tfm_concatenation_prepare,
                         tfm_concatenation_eval_reference);
  return &kernel;
}
