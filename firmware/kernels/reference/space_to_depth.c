/* SPACE_TO_DEPTH reference kernel: the shared prepare and reference eval of
 * common/space_to_depth.h. */
#include "common/space_to_depth.h"
#include "common/ops.h"
#include "tfm/kernels.h"

const tfm_kernel *tfm_register_space_to_depth(void) {
  static const tfm_kernel kernel =
      TFM_BUILTIN_KERNEL(SPACE_TO_DEPTH, tfm_space_to_depth_prepare, tfm_space_to_depth_eval_reference);
  return &kernel;
}
