/* BROADCAST_TO reference kernel: the shared prepare and reference eval of
 * common/broadcast_to.h. */
#include "common/broadcast_to.h"
#include "common/ops.h"
#include "tfm/kernels.h"

const tfm_kernel *tfm_register_broadcast_to(void) {
  static const tfm_kernel kernel =
      TFM_BUILTIN_KERNEL(BROADCAST_TO, tfm_broadcast_to_prepare, tfm_broadcast_to_eval_reference);
  return &kernel;
}
