/* TRANSPOSE reference kernel: the shared prepare and reference eval of
 * common/transpose.h. */
#include "common/transpose.h"
#include "common/ops.h"
#include "tfm/kernels.h"

const tfm_kernel *tfm_register_transpose(void) {
  static const tfm_kernel kernel =
      TFM_BUILTIN_KERNEL(TRANSPOSE, tfm_transpose_prepare, tfm_transpose_eval_reference);
  return &kernel;
}
