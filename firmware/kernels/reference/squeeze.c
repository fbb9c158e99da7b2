/* SQUEEZE: same bytes, new static shape (see common/shape_common.h). */
#include "common/ops.h"
#include "common/shape_common.h"
#include "tfm/kernels.h"

const tfm_kernel *tfm_register_squeeze(void) {
  static const tfm_kernel kernel =
      TFM_BUILTIN_KERNEL(SQUEEZE, tfm_shape_copy_prepare, tfm_shape_copy_eval);
  return &kernel;
}
