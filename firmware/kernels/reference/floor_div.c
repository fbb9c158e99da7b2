/* FLOOR_DIV reference kernel: the shared prepare and reference eval of
 * common/floor_div.h. */
#include "common/floor_div.h"
#include "common/ops.h"
#include "tfm/kernels.h"

const tfm_kernel *tfm_register_floor_div(void) {
  static const tfm_kernel kernel =
      TFM_BUILTIN_KERNEL(FLOOR_DIV, tfm_floor_div_prepare, tfm_floor_div_eval_reference);
  return &kernel;
}
