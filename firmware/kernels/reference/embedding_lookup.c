/* EMBEDDING_LOOKUP reference kernel: the shared prepare and reference eval of
 * common/embedding_lookup.h. */
#include "common/embedding_lookup.h"
#include "common/ops.h"
#include "tfm/kernels.h"

const tfm_kernel *tfm_register_embedding_lookup(void) {
  static const tfm_kernel kernel =
      TFM_BUILTIN_KERNEL(EMBEDDING_LOOKUP, tfm_embedding_lookup_prepare, tfm_embedding_lookup_eval_reference);
  return &kernel;
}
