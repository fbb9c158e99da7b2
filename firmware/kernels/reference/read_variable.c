/* READ_VARIABLE: copies a resource variable into output 0. */
#include <string.h>

#include "tfm/interpreter.h"
#include "tfm/kernels.h"

static tfm_resource *resource_of(tfm_context *ctx, const tfm_node *node) {
  const tfm_tensor *id = tfm_input(ctx, node, 0);
  if (id == NULL || id->type != TFM_RESOURCE || id->data == NULL) return NULL;
  return tfm_resource_by_id(ctx, *(const int32_t *)id->data);
}

static tfm_status prepare(tfm_context *ctx, tfm_node *node) {
  tfm_resource *r = resource_of(ctx, node);
  const tfm_tensor *out = tfm_output(ctx, node, 0);
  if (r == NULL) return tfm_fail(ctx, TFM_UNSUPPORTED, "input 0 is not a VAR_HANDLE resource");
  if (out == NULL) return tfm_fail(ctx, TFM_BAD_MODEL, "missing output 0");
  /* The buffer may be created here: an ASSIGN in a later subgraph (CALL_ONCE
   * init) is prepared after this op. Sizes must agree. */
  return tfm_resource_allocate(ctx, r, tfm_tensor_bytes(out));
}

static tfm_status eval(tfm_context *ctx, tfm_node *node) {
  tfm_resource *r = resource_of(ctx, node);
  tfm_tensor *out = tfm_output(ctx, node, 0);
  if (r == NULL || !r->assigned) {
    return tfm_fail(ctx, TFM_ERROR, "variable '%s' read before it was assigned",
                    r && r->shared_name ? r->shared_name : "?");
  }
  memcpy(out->data, r->data, (size_t)r->bytes); /* prepare checked: the output's size */
  return TFM_OK;
}

const tfm_kernel *tfm_register_read_variable(void) {
  static const tfm_kernel kernel = {"READ_VARIABLE", 1, prepare, eval};
  return &kernel;
}
