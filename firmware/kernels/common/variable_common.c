#include "common/variable_common.h"

tfm_resource *tfm_variable_of(tfm_context *ctx, const tfm_node *node) {
  const tfm_tensor *id = tfm_input(ctx, node, 0);
  if (id == NULL || id->type != TFM_RESOURCE || id->data == NULL) return NULL;
  return tfm_resource_by_id(ctx, *(const int32_t *)id->data);
}

tfm_status tfm_variable_prepare(tfm_context *ctx, const tfm_node *node, const tfm_tensor *t,
                                const char *role) {
  tfm_resource *r = tfm_variable_of(ctx, node);
  if (r == NULL) return tfm_fail(ctx, TFM_UNSUPPORTED, "input 0 is not a VAR_HANDLE resource");
  if (t == NULL) return tfm_fail(ctx, TFM_BAD_MODEL, "missing %s", role);
  return tfm_resource_allocate(ctx, r, tfm_tensor_bytes(t));
}
