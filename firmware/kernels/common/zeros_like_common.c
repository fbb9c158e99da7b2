/* ZEROS_LIKE: float32, int32, int64 (TFLite's types): an output of zeros. */
#include "common/zeros_like.h"

#include "common/activation_common.h"
#include "tfm/kernels.h"

tfm_status tfm_zeros_like_prepare(tfm_context *ctx, tfm_node *node) {
  static const int kTypes[] = {TFM_FLOAT32, TFM_INT32, TFM_INT64, -1};
  const tfm_tensor *in, *out;
  return tfm_unary_prepare(ctx, node, "ZEROS_LIKE", kTypes, true, 0, &in, &out);
}

tfm_status tfm_zeros_like_eval_reference(tfm_context *ctx, tfm_node *node) {
  tfm_tensor *out = tfm_output(ctx, node, 0);
  uint8_t *p = (uint8_t *)out->data;
  const int32_t bytes = tfm_tensor_bytes(out);
  for (int32_t i = 0; i < bytes; ++i) p[i] = 0; /* all-zero bits are 0 and 0.0f */
  return TFM_OK;
}
