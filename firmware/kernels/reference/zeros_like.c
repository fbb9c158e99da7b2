/* ZEROS_LIKE reference kernel: the shared prepare and reference eval of
 * common/zeros_like.h. */
#include "common/zeros_like.h"
#include "common/ops.h"
#include "tfm/kernels.h"

const tfm_kernel *tfm_register_zeros_like(void) {
  static const tfm_kernel kernel =
      TFM_BUILTIN_KERNEL(ZEROS_LIKE, tfm_zeros_like_prepare, tfm_zeros_like_eval_reference);
  return &kernel;
}
