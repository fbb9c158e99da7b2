/* SPLIT_V reference kernel: the shared prepare and reference eval of
 * common/split_v.h. */
#include "common/split_v.h"
#include "common/ops.h"
#include "tfm/kernels.h"

const tfm_kernel *tfm_register_split_v(void) {
  static const tfm_kernel kernel =
      TFM_BUILTIN_KERNEL(SPLIT_V, tfm_split_v_prepare, tfm_split_v_eval_reference);
  return &kernel;
}
