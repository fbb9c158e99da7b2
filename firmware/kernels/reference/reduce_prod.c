/* REDUCE_PROD reference kernel: the shared prepare and reference eval of
 * common/reduce_prod.h. */
#include "common/reduce_prod.h"
#include "common/ops.h"
#include "tfm/kernels.h"

const tfm_kernel *tfm_register_reduce_prod(void) {
  static const tfm_kernel kernel =
      TFM_BUILTIN_KERNEL(REDUCE_PROD, tfm_reduce_prod_prepare, tfm_reduce_prod_eval_reference);
  return &kernel;
}
