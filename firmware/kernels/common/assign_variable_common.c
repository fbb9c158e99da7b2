/* ASSIGN_VARIABLE shared pieces: prepare and the reference eval (see
 * common/assign_variable.h). */
#include "common/assign_variable.h"

#include <string.h>

#include "common/variable_common.h"

tfm_status tfm_assign_variable_prepare(tfm_context *ctx, tfm_node *node) {
  return tfm_variable_prepare(ctx, node, tfm_input(ctx, node, 1), "input 1 (value)");
}

tfm_status tfm_assign_variable_eval_reference(tfm_context *ctx, tfm_node *node) {
  tfm_resource *r = tfm_variable_of(ctx, node);
  const tfm_tensor *value = tfm_input(ctx, node, 1);
  if (r == NULL || r->data == NULL) return tfm_fail(ctx, TFM_ERROR, "no resource buffer");
  memcpy(r->data, value->data, (size_t)r->bytes); /* prepare checked: the value's size */
  r->assigned = 1;
  return TFM_OK;
}
