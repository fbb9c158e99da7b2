/* SQUARE reference kernel: the shared prepare and reference eval of
 * common/square.h. */
#include "common/square.h"
#include "common/ops.h"
#include "tfm/kernels.h"

const tfm_kernel *tfm_register_square(void) {
  static const tfm_kernel kernel =
      TFM_BUILTIN_KERNEL(SQUARE, tfm_square_prepare, tfm_square_eval_reference);
  return &kernel;
}
