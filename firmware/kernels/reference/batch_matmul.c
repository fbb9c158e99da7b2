/* BATCH_MATMUL reference kernel: the shared prepare and reference eval of
 * common/batch_matmul.h. */
#include "common/batch_matmul.h"
#include "common/ops.h"
#include "tfm/kernels.h"

const tfm_kernel *tfm_register_batch_matmul(void) {
  static const tfm_kernel kernel =
      TFM_BUILTIN_KERNEL(BATCH_MATMUL, tfm_batch_matmul_prepare, tfm_batch_matmul_eval_reference);
  return &kernel;
}
