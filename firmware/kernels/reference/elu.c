/* ELU reference kernel: the shared prepare and reference eval of
 * common/elu.h. */
#include "common/elu.h"
#include "common/ops.h"
#include "tfm/kernels.h"

const tfm_kernel *tfm_register_elu(void) {
  static const tfm_kernel kernel =
      TFM_BUILTIN_KERNEL(ELU, tfm_elu_prepare, tfm_elu_eval_reference);
  return &kernel;
}
