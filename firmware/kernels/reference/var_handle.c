/* VAR_HANDLE: outputs the id of the resource variable named by its
 * container + shared_name (created on first use). The id is written in
 * prepare too, so ASSIGN/READ_VARIABLE can find the resource when prepared. */
#include "common/ops.h"
#include "tfm/interpreter.h"
#include "tfm/kernels.h"

static tfm_status prepare(tfm_context *ctx, tfm_node *node) {
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

static tfm_status eval(tfm_context *ctx, tfm_node *node) {
  *(int32_t *)tfm_output(ctx, node, 0)->data = ((const tfm_resource *)node->data)->id;
  return TFM_OK;
}

const tfm_kernel *tfm_register_var_handle(void) {
  static const tfm_kernel kernel = TFM_BUILTIN_KERNEL(VAR_HANDLE, prepare, eval);
  return &kernel;
}
