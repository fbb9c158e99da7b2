/* MIRROR_PAD reference kernel: the shared prepare and reference eval of
 * common/mirror_pad.h. */
#include "common/mirror_pad.h"
#include "common/ops.h"
#include "tfm/kernels.h"

const tfm_kernel *tfm_register_mirror_pad(void) {
  static const tfm_kernel kernel =
      TFM_BUILTIN_KERNEL(MIRROR_PAD, tfm_mirror_pad_prepare, tfm_mirror_pad_eval_reference);
  return &kernel;
}
