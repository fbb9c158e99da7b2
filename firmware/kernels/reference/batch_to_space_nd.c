/* BATCH_TO_SPACE_ND reference kernel: the shared prepare and reference eval of
 * common/batch_to_space_nd.h. */
#include "common/batch_to_space_nd.h"
#include "common/ops.h"
#include "tfm/kernels.h"

const tfm_kernel *tfm_register_batch_to_space_nd(void) {
  static const tfm_kernel kernel =
      TFM_BUILTIN_KERNEL(BATCH_TO_SPACE_ND, tfm_batch_to_space_nd_prepare, tfm_batch_to_space_nd_eval_reference);
  return &kernel;
}
