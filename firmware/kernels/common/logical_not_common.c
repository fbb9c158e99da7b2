/* LOGICAL_NOT: BOOL -> BOOL. */
#include "common/logical_not.h"

#include "common/activation_common.h"
#include "tfm/kernels.h"

tfm_status tfm_logical_not_prepare(tfm_context *ctx, tfm_node *node) {
  static const int kTypes[] = {TFM_BOOL, -1};
  const tfm_tensor *in, *out;
  return tfm_unary_prepare(ctx, node, "LOGICAL_NOT", kTypes, true, 0, &in, &out);
}

tfm_status tfm_logical_not_eval_reference(tfm_context *ctx, tfm_node *node) {
  const tfm_tensor *in = tfm_input(ctx, node, 0);
  tfm_tensor *out = tfm_output(ctx, node, 0);
  TFM_UNARY_LOOP(uint8_t, in, out, tfm_tensor_elements(in), y[i] = (uint8_t)(x == 0));
  return TFM_OK;
}
