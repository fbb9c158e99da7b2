/* PACK reference kernel: the shared prepare and reference eval of
 * common/pack.h. */
#include "common/pack.h"
#include "common/ops.h"
#include "tfm/kernels.h"

const tfm_kernel *tfm_register_pack(void) {
  static const tfm_kernel kernel =
      TFM_BUILTIN_KERNEL(PACK, tfm_pack_prepare, tfm_pack_eval_reference);
  return &kernel;
}
