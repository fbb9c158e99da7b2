/* STRIDED_SLICE reference kernel: the shared prepare and reference eval of
 * common/strided_slice.h. */
#include "common/strided_slice.h"
#include "common/ops.h"
#include "tfm/kernels.h"

const tfm_kernel *tfm_register_strided_slice(void) {
  static const tfm_kernel kernel =
      TFM_BUILTIN_KERNEL(STRIDED_SLICE, tfm_strided_slice_prepare,
                         tfm_strided_slice_eval_reference);
  return &kernel;
}
