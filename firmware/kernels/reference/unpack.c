/* UNPACK reference kernel: the shared prepare and reference eval of
 * common/unpack.h. */
#include "common/unpack.h"
#include "common/ops.h"
#include "tfm/kernels.h"

const tfm_kernel *tfm_register_unpack(void) {
  static const tfm_kernel kernel =
      TFM_BUILTIN_KERNEL(UNPACK, tfm_unpack_prepare, tfm_unpack_eval_reference);
  return &kernel;
}
