/* COS reference kernel: the shared prepare and reference eval of
 * common/cos.h. */
#include "common/cos.h"
#include "common/ops.h"
#include "tfm/kernels.h"

const tfm_kernel *tfm_register_cos(void) {
  static const tfm_kernel kernel =
      TFM_BUILTIN_KERNEL(COS, tfm_cos_prepare, tfm_cos_eval_reference);
  return &kernel;
}
