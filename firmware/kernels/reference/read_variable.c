/* READ_VARIABLE: copies a resource variable into output 0. */
#include <string.h>

#include "common/ops.h"
#include "common/variable_common.h"
#include "tfm/kernels.h"

static tfm_status prepare(tfm_context *ctx, tfm_node *node) {
  /* The buffer may be created here: an ASSIGN in a later subgraph (CALL_ONCE
   * init) is prepared after this op. Sizes must agree. */
  return tfm_variable_prepare(ctx, node, tfm_output(ctx, node, 0), "output 0");
}

static tfm_status eval(tfm_context *ctx, tfm_node *node) {
  tfm_resource *r = tfm_variable_of(ctx, node);
  tfm_tensor *out = tfm_output(ctx, node, 0);
  if (r == NULL || !r->assigned) {
    return tfm_fail(ctx, TFM_ERROR, "variable '%s' read before it was assigned",
                    r && r->shared_name ? r->shared_name : "?");
  }
  memcpy(out->data, r->data, (size_t)r->bytes); /* prepare checked: the output's size */
  return TFM_OK;
}

const tfm_kernel *tfm_register_read_variable(void) {
  static const tfm_kernel kernel = TFM_BUILTIN_KERNEL(READ_VARIABLE, prepare, eval);
  return &kernel;
}
