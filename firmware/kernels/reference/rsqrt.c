/* RSQRT reference kernel: the shared prepare and reference eval of
 * common/rsqrt.h. */
#include "common/rsqrt.h"
#include "common/ops.h"
#include "tfm/kernels.h"

const tfm_kernel *tfm_register_rsqrt(void) {
  static const tfm_kernel kernel =
      TFM_BUILTIN_KERNEL(RSQRT, tfm_rsqrt_prepare, tfm_rsqrt_eval_reference);
  return &kernel;
}
