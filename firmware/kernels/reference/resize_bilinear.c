/* RESIZE_BILINEAR reference kernel: the shared prepare and reference eval of
 * common/resize_bilinear.h. */
#include "common/resize_bilinear.h"
#include "common/ops.h"
#include "tfm/kernels.h"

const tfm_kernel *tfm_register_resize_bilinear(void) {
  static const tfm_kernel kernel =
      TFM_BUILTIN_KERNEL(RESIZE_BILINEAR, tfm_resize_bilinear_prepare,
                         tfm_resize_bilinear_eval_reference);
  return &kernel;
}
