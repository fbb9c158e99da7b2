/* SPACE_TO_BATCH_ND reference kernel: the shared prepare and reference eval of
 * common/space_to_batch_nd.h. */
#include "common/space_to_batch_nd.h"
#include "common/ops.h"
#include "tfm/kernels.h"

const tfm_kernel *tfm_register_space_to_batch_nd(void) {
  static const tfm_kernel kernel =
      TFM_BUILTIN_KERNEL(SPACE_TO_BATCH_ND, tfm_space_to_batch_nd_prepare, tfm_space_to_batch_nd_eval_reference);
  return &kernel;
}
