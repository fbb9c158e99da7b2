/* CALL_ONCE reference kernel: the shared prepare and reference eval of
 * common/call_once.h. */
#include "common/call_once.h"
#include "common/ops.h"
#include "tfm/kernels.h"

const tfm_kernel *tfm_register_call_once(void) {
  static const tfm_kernel kernel =
      TFM_BUILTIN_KERNEL(CALL_ONCE, tfm_call_once_prepare, tfm_call_once_eval_reference);
  return &kernel;
}
