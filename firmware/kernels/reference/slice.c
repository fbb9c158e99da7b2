/* SLICE reference kernel: the shared prepare and reference eval of
 * common/slice.h. */
#include "common/slice.h"
#include "common/ops.h"
#include "tfm/kernels.h"

const tfm_kernel *tfm_register_slice(void) {
  static const tfm_kernel kernel =
      TFM_BUILTIN_KERNEL(SLICE, tfm_slice_prepare, tfm_slice_eval_reference);
  return &kernel;
}
