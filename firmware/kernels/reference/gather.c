/* GATHER reference kernel: the shared prepare and reference eval of
 * common/gather.h. */
#include "common/gather.h"
#include "common/ops.h"
#include "tfm/kernels.h"

const tfm_kernel *tfm_register_gather(void) {
  static const tfm_kernel kernel =
      TFM_BUILTIN_KERNEL(GATHER, tfm_gather_prepare, tfm_gather_eval_reference);
  return &kernel;
}
