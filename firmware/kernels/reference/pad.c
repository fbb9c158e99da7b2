/* PAD reference kernel: the shared prepare and reference eval of
 * common/pad.h. */
#include "common/pad.h"
#include "common/ops.h"
#include "tfm/kernels.h"

const tfm_kernel *tfm_register_pad(void) {
  static const tfm_kernel kernel = TFM_BUILTIN_KERNEL(PAD, tfm_pad_prepare, tfm_pad_eval_reference);
  return &kernel;
}
