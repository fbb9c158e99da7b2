/* SVDF reference kernel: the shared prepare and reference eval of
 * common/svdf.h. */
#include "common/svdf.h"
#include "common/ops.h"
#include "tfm/kernels.h"

const tfm_kernel *tfm_register_svdf(void) {
  static const tfm_kernel kernel =
      TFM_BUILTIN_KERNEL(SVDF, tfm_svdf_prepare, tfm_svdf_eval_reference);
  return &kernel;
}
