/* VAR_HANDLE shared pieces: prepare and the reference eval (see
 * common/var_handle.h). */
#include "common/var_handle.h"

#include "tfm/interpreter.h"

tfm_status tfm_var_handle_prepare(tfm_context *ctx, tfm_node *node) {
  tfm_tensor *out = tfm_output(ctx, node, 0);
  if (out == NULL || out->type != TFM_RESOURCE || out->data == NULL) {
    return tfm_fail(ctx, TFM_UNSUPPORTED, "output 0 must be a RESOURCE tensor");
  }
  const char *container, *shared_name;
  TFM_TRY(tfm_opt_string(ctx, node, 4, &container));
  TFM_TRY(tfm_opt_string(ctx, node, 6, &shared_name));
  tfm_resource *r;
  TFM_TRY(tfm_resource_get(ctx, container, shared_name, &r));
  node->data = r;
  *(int32_t *)out->data = r->id;
  return TFM_OK;
}

tfm_status tfm_var_handle_eval_reference(tfm_context *ctx, tfm_node *node) {
  *(int32_t *)tfm_output(ctx, node, 0)->data = ((const tfm_resource *)node->data)->id;
  return TFM_OK;
}
