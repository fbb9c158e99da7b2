/* Test-only CUSTOM op "TfmFaultsNegate": y = -x on int32 (wrapping), added by
 * kernel set "extra-ops" through KernelSet.added_ops (resolved by name). */
#include "tfm/kernel.h"

static tfm_status negate_prepare(tfm_context *ctx, tfm_node *node) {
  if (node->num_inputs != 1 || node->num_outputs != 1) {
    return tfm_fail(ctx, TFM_BAD_MODEL, "needs 1 input and 1 output");
  }
  const tfm_tensor *in = tfm_input(ctx, node, 0);
  const tfm_tensor *out = tfm_output(ctx, node, 0);
  TFM_ENSURE(ctx, in != NULL && out != NULL);
  if (in->type != TFM_INT32 || out->type != TFM_INT32 ||
      tfm_tensor_elements(in) != tfm_tensor_elements(out)) {
    return tfm_fail(ctx, TFM_UNSUPPORTED, "needs int32 input and output of equal size");
  }
  return TFM_OK;
}

static tfm_status negate_eval(tfm_context *ctx, tfm_node *node) {
  const tfm_tensor *in = tfm_input(ctx, node, 0);
  tfm_tensor *out = tfm_output(ctx, node, 0);
  const int32_t *x = (const int32_t *)in->data;
  int32_t *y = (int32_t *)out->data;
  for (int32_t i = 0; i < tfm_tensor_elements(in); ++i) y[i] = (int32_t)(0u - (uint32_t)x[i]);
  return TFM_OK;
}

const tfm_kernel *tfm_faults_register_negate(void) {
  static const tfm_kernel kernel = {"TfmFaultsNegate", 1, negate_prepare, negate_eval};
  return &kernel;
}
