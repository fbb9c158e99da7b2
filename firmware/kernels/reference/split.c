/* SPLIT reference kernel: the shared prepare and reference eval of
 * common/split.h. */
#include "common/split.h"
#include "common/ops.h"
#include "tfm/kernels.h"

const tfm_kernel *tfm_register_split(void) {
  static const tfm_kernel kernel =
      TFM_BUILTIN_KERNEL(SPLIT, tfm_split_prepare, tfm_split_eval_reference);
  return &kernel;
}
