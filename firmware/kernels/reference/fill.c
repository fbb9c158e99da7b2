/* FILL reference kernel: the shared prepare and reference eval of
 * common/fill.h. */
#include "common/fill.h"
#include "common/ops.h"
#include "tfm/kernels.h"

const tfm_kernel *tfm_register_fill(void) {
  static const tfm_kernel kernel =
      TFM_BUILTIN_KERNEL(FILL, tfm_fill_prepare, tfm_fill_eval_reference);
  return &kernel;
}
