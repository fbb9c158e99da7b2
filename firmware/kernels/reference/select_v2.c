/* SELECT_V2 reference kernel: the shared prepare and reference eval of
 * common/select_v2.h. */
#include "common/select_v2.h"
#include "common/ops.h"
#include "tfm/kernels.h"

const tfm_kernel *tfm_register_select_v2(void) {
  static const tfm_kernel kernel =
      TFM_BUILTIN_KERNEL(SELECT_V2, tfm_select_v2_prepare, tfm_select_v2_eval_reference);
  return &kernel;
}
