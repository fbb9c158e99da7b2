/* READ_VARIABLE shared pieces: prepare and the reference eval (see
 * common/read_variable.h). */
#include "common/read_variable.h"

#include <string.h>

#include "common/variable_common.h"

tfm_status tfm_read_variable_prepare(tfm_context *ctx, tfm_node *node) {
  /* The buffer may be created here: an ASSIGN in a later subgraph (CALL_ONCE
   * init) is prepared after this op. Sizes must agree. */
  return tfm_variable_prepare(ctx, node, tfm_output(ctx, node, 0), "output 0");
}

tfm_status tfm_read_variable_eval_reference(tfm_context *ctx, tfm_node *node) {
  tfm_resource *r = tfm_variable_of(ctx, node);
  tfm_tensor *out = tfm_output(ctx, node, 0);
  if (r == NULL || !r->assigned) {
    return tfm_fail(ctx, TFM_ERROR, "variable '%s' read before it was assigned",
                    r && r->shared_name ? r->shared_name : "?");
  }
  memcpy(out->data, r->data, (size_t)r->bytes); /* prepare checked: the output's size */
  return TFM_OK;
}
