/* PADV2 reference kernel: the shared prepare and reference eval of
 * common/padv2.h. */
#include "common/padv2.h"
#include "common/ops.h"
#include "tfm/kernels.h"

const tfm_kernel *tfm_register_padv2(void) {
  static const tfm_kernel kernel =
      TFM_BUILTIN_KERNEL(PADV2, tfm_padv2_prepare, tfm_padv2_eval_reference);
  return &kernel;
}
