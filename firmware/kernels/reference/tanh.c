/* TANH reference kernel: the shared prepare and reference eval of
 * common/tanh.h. */
#include "common/tanh.h"
#include "common/ops.h"
#include "tfm/kernels.h"

const tfm_kernel *tfm_register_tanh(void) {
  static const tfm_kernel kernel =
      TFM_BUILTIN_KERNEL(TANH, tfm_tanh_prepare, tfm_tanh_eval_reference);
  return &kernel;
}
