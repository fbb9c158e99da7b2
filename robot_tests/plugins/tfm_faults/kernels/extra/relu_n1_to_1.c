/* Test-only kernel for an op the core table (kernels/ops.def) lacks: builtin
 * RELU_N1_TO_1 (code 20), float32, added by kernel set "extra-ops" through
 * KernelSet.added_ops. Its max_version (1) is the one the plugin declares. */
#include "tfm/kernel.h"

static tfm_status relu_n1_prepare(tfm_context *ctx, tfm_node *node) {
  if (node->num_inputs != 1 || node->num_outputs != 1) {
    return tfm_fail(ctx, TFM_BAD_MODEL, "needs 1 input and 1 output");
  }
  const tfm_tensor *in = tfm_input(ctx, node, 0);
  const tfm_tensor *out = tfm_output(ctx, node, 0);
  TFM_ENSURE(ctx, in != NULL && out != NULL);
  if (in->type != TFM_FLOAT32 || out->type != TFM_FLOAT32 ||
      tfm_tensor_elements(in) != tfm_tensor_elements(out)) {
    return tfm_fail(ctx, TFM_UNSUPPORTED, "needs float32 input and output of equal size");
  }
  return TFM_OK;
}

static tfm_status relu_n1_eval(tfm_context *ctx, tfm_node *node) {
  const tfm_tensor *in = tfm_input(ctx, node, 0);
  tfm_tensor *out = tfm_output(ctx, node, 0);
  const float *x = (const float *)in->data;
  float *y = (float *)out->data;
  for (int32_t i = 0; i < tfm_tensor_elements(in); ++i) y[i] = x[i] < -1.0f ? -1.0f : (x[i] > 1.0f ? 1.0f : x[i]);
  return TFM_OK;
}

const tfm_kernel *tfm_faults_register_relu_n1_to_1(void) {
  static const tfm_kernel kernel = {"RELU_N1_TO_1", 1, relu_n1_prepare, relu_n1_eval};
  return &kernel;
}
