#include "common/unary_common.h"

#include "common/activation_common.h"

tfm_status tfm_float_unary_prepare(tfm_context *ctx, tfm_node *node, const char *op) {
  static const int kTypes[] = {TFM_FLOAT32, -1};
  const tfm_tensor *in, *out;
  return tfm_unary_prepare(ctx, node, op, kTypes, true, 0, &in, &out);
}

tfm_status tfm_float_unary_eval(tfm_context *ctx, tfm_node *node, float (*fn)(float)) {
  const tfm_tensor *in = tfm_input(ctx, node, 0);
  tfm_tensor *out = tfm_output(ctx, node, 0);
  TFM_UNARY_LOOP(float, in, out, tfm_tensor_elements(in), y[i] = fn(x));
  return TFM_OK;
}
