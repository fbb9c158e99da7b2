/* SHAPE reference kernel: the shared prepare and reference eval of
 * common/shape.h. */
#include "common/shape.h"
#include "common/ops.h"
#include "tfm/kernels.h"

const tfm_kernel *tfm_register_shape(void) {
  static const tfm_kernel kernel =
      TFM_BUILTIN_KERNEL(SHAPE, tfm_shape_prepare, tfm_shape_eval_reference);
  return &kernel;
}
