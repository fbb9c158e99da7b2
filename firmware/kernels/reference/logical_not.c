/* LOGICAL_NOT: BOOL -> BOOL. */
#include "common/activation_common.h"
#include "tfm/kernels.h"

static tfm_status prepare(tfm_context *ctx, tfm_node *node) {
  static const int kTypes[] = {TFM_BOOL, -1};
  const tfm_tensor *in, *out;
  return tfm_unary_prepare(ctx, node, "LOGICAL_NOT", kTypes, true, 0, &in, &out);
}

static tfm_status eval(tfm_context *ctx, tfm_node *node) {
  const tfm_tensor *in = tfm_input(ctx, node, 0);
  tfm_tensor *out = tfm_output(ctx, node, 0);
  TFM_UNARY_LOOP(uint8_t, in, out, tfm_tensor_elements(in), y[i] = (uint8_t)(x == 0));
  return TFM_OK;
}

const tfm_kernel *tfm_register_logical_not(void) {
  static const tfm_kernel kernel = {"LOGICAL_NOT", 1, prepare, eval};
  return &kernel;
}
