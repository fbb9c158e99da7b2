/* DYNAMIC_UPDATE_SLICE reference kernel: the shared prepare and reference eval of
 * common/dynamic_update_slice.h. */
#include "common/dynamic_update_slice.h"
#include "common/ops.h"
#include "tfm/kernels.h"

const tfm_kernel *tfm_register_dynamic_update_slice(void) {
  static const tfm_kernel kernel =
      TFM_BUILTIN_KERNEL(DYNAMIC_UPDATE_SLICE, tfm_dynamic_update_slice_prepare, tfm_dynamic_update_slice_eval_reference);
  return &kernel;
}
