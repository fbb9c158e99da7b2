/* FLOOR reference kernel: the shared prepare and reference eval of
 * common/floor.h. */
#include "common/floor.h"
#include "common/ops.h"
#include "tfm/kernels.h"

const tfm_kernel *tfm_register_floor(void) {
  static const tfm_kernel kernel =
      TFM_BUILTIN_KERNEL(FLOOR, tfm_floor_prepare, tfm_floor_eval_reference);
  return &kernel;
}
