/* IF reference kernel: the shared prepare and reference eval of
 * common/if.h. */
#include "common/if.h"
#include "common/ops.h"
#include "tfm/kernels.h"

const tfm_kernel *tfm_register_if(void) {
  static const tfm_kernel kernel = TFM_BUILTIN_KERNEL(IF, tfm_if_prepare, tfm_if_eval_reference);
  return &kernel;
}
