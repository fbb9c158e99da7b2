/* SOFTMAX reference kernel: the shared prepare and reference eval of
 * common/softmax.h. */
#include "common/softmax.h"
#include "common/ops.h"
#include "tfm/kernels.h"

const tfm_kernel *tfm_register_softmax(void) {
  static const tfm_kernel kernel =
      TFM_BUILTIN_KERNEL(SOFTMAX, tfm_softmax_prepare, tfm_softmax_eval_reference);
  return &kernel;
}
