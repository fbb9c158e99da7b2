/* GATHER_ND reference kernel: the shared prepare and reference eval of
 * common/gather_nd.h. */
#include "common/gather_nd.h"
#include "common/ops.h"
#include "tfm/kernels.h"

const tfm_kernel *tfm_register_gather_nd(void) {
  static const tfm_kernel kernel =
      TFM_BUILTIN_KERNEL(GATHER_ND, tfm_gather_nd_prepare, tfm_gather_nd_eval_reference);
  return &kernel;
}
