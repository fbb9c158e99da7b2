/* CUMSUM reference kernel: the shared prepare and reference eval of
 * common/cumsum.h. */
#include "common/cumsum.h"
#include "common/ops.h"
#include "tfm/kernels.h"

const tfm_kernel *tfm_register_cumsum(void) {
  static const tfm_kernel kernel =
      TFM_BUILTIN_KERNEL(CUMSUM, tfm_cumsum_prepare, tfm_cumsum_eval_reference);
  return &kernel;
}
