/* CAST reference kernel: the shared prepare and reference eval of
 * common/cast.h. */
#include "common/cast.h"
#include "common/ops.h"
#include "tfm/kernels.h"

const tfm_kernel *tfm_register_cast(void) {
  static const tfm_kernel kernel =
      TFM_BUILTIN_KERNEL(CAST, tfm_cast_prepare, tfm_cast_eval_reference);
  return &kernel;
}
