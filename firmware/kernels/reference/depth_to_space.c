/* DEPTH_TO_SPACE reference kernel: the shared prepare and reference eval of
 * common/depth_to_space.h. */
#include "common/depth_to_space.h"
#include "common/ops.h"
#include "tfm/kernels.h"

const tfm_kernel *tfm_register_depth_to_space(void) {
  static const tfm_kernel kernel =
      TFM_BUILTIN_KERNEL(DEPTH_TO_SPACE, tfm_depth_to_space_prepare, tfm_depth_to_space_eval_reference);
  return &kernel;
}
