/* REVERSE_V2 reference kernel: the shared prepare and reference eval of
 * common/reverse_v2.h. */
#include "common/reverse_v2.h"
#include "common/ops.h"
#include "tfm/kernels.h"

const tfm_kernel *tfm_register_reverse_v2(void) {
  static const tfm_kernel kernel =
      TFM_BUILTIN_KERNEL(REVERSE_V2, tfm_reverse_v2_prepare, tfm_reverse_v2_eval_reference);
  return &kernel;
}
