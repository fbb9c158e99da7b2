/* BROADCAST_ARGS reference kernel: the shared prepare and reference eval of
 * common/broadcast_args.h. */
#include "common/broadcast_args.h"
#include "common/ops.h"
#include "tfm/kernels.h"

const tfm_kernel *tfm_register_broadcast_args(void) {
  static const tfm_kernel kernel =
      TFM_BUILTIN_KERNEL(BROADCAST_ARGS, tfm_broadcast_args_prepare, tfm_broadcast_args_eval_reference);
  return &kernel;
}
