/* ASSIGN_VARIABLE: copies input 1 into the resource variable of input 0.
 * The variable's buffer is allocated persistently in prepare, sized by the
 * assigned tensor (as TFLM's MicroResourceVariables::Allocate). */
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
  const tfm_tensor *value = tfm_input(ctx, node, 1);
  if (r == NULL) return tfm_fail(ctx, TFM_UNSUPPORTED, "input 0 is not a VAR_HANDLE resource");
  if (value == NULL) return tfm_fail(ctx, TFM_BAD_MODEL, "missing input 1 (value)");
  return tfm_resource_allocate(ctx, r, tfm_tensor_bytes(value));
}

static tfm_status eval(tfm_context *ctx, tfm_node *node) {
  tfm_resource *r = resource_of(ctx, node);
  const tfm_tensor *value = tfm_input(ctx, node, 1);
  if (r == NULL || r->data == NULL) return tfm_fail(ctx, TFM_ERROR, "no resource buffer");
  memcpy(r->data, value->data, (size_t)r->bytes); /* prepare checked: the value's size */
  r->assigned = 1;
  return TFM_OK;
}

const tfm_kernel *tfm_register_assign_variable(void) {
  static const tfm_kernel kernel = {"ASSIGN_VARIABLE", 1, prepare, eval};
  return &kernel;
}
