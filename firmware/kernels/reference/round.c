/* ROUND reference kernel: the shared prepare and reference eval of
 * common/round.h. */
#include "common/round.h"
#include "common/ops.h"
#include "tfm/kernels.h"

const tfm_kernel *tfm_register_round(void) {
  static const tfm_kernel kernel =
      TFM_BUILTIN_KERNEL(ROUND, tfm_round_prepare, tfm_round_eval_reference);
  return &kernel;
}
