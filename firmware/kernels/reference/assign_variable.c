/* ASSIGN_VARIABLE: copies input 1 into the resource variable of input 0.
 * The variable's buffer is allocated persistently in prepare, sized by the
 * assigned tensor (as TFLM's MicroResourceVariables::Allocate). */
#include <string.h>

#include "common/ops.h"
#include "common/variable_common.h"
#include "tfm/kernels.h"

static tfm_status prepare(tfm_context *ctx, tfm_node *node) {
  return tfm_variable_prepare(ctx, node, tfm_input(ctx, node, 1), "input 1 (value)");
}

static tfm_status eval(tfm_context *ctx, tfm_node *node) {
  tfm_resource *r = tfm_variable_of(ctx, node);
  const tfm_tensor *value = tfm_input(ctx, node, 1);
  if (r == NULL || r->data == NULL) return tfm_fail(ctx, TFM_ERROR, "no resource buffer");
  memcpy(r->data, value->data, (size_t)r->bytes); /* prepare checked: the value's size */
  r->assigned = 1;
  return TFM_OK;
}

const tfm_kernel *tfm_register_assign_variable(void) {
  static const tfm_kernel kernel = TFM_BUILTIN_KERNEL(ASSIGN_VARIABLE, prepare, eval);
  return &kernel;
}
