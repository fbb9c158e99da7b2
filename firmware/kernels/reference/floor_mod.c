/* FLOOR_MOD reference kernel: the shared prepare and reference eval of
 * common/floor_mod.h. */
#include "common/floor_mod.h"
#include "common/ops.h"
#include "tfm/kernels.h"

const tfm_kernel *tfm_register_floor_mod(void) {
  static const tfm_kernel kernel =
      TFM_BUILTIN_KERNEL(FLOOR_MOD, tfm_floor_mod_prepare, tfm_floor_mod_eval_reference);
  return &kernel;
}
