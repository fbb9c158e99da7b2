/* ZEROS_LIKE: float32, int32, int64 (TFLite's types): an output of zeros. */
#include "common/activation_common.h"
#include "tfm/kernels.h"

static tfm_status prepare(tfm_context *ctx, tfm_node *node) {
  static const int kTypes[] = {TFM_FLOAT32, TFM_INT32, TFM_INT64, -1};
  const tfm_tensor *in, *out;
  return tfm_unary_prepare(ctx, node, "ZEROS_LIKE", kTypes, true, 0, &in, &out);
}

static tfm_status eval(tfm_context *ctx, tfm_node *node) {
  tfm_tensor *out = tfm_output(ctx, node, 0);
  uint8_t *p = (uint8_t *)out->data;
  const int32_t bytes = tfm_tensor_bytes(out);
  for (int32_t i = 0; i < bytes; ++i) p[i] = 0; /* all-zero bits are 0 and 0.0f */
  return TFM_OK;
}

const tfm_kernel *tfm_register_zeros_like(void) {
  static const tfm_kernel kernel = {"ZEROS_LIKE", 1, prepare, eval};
  return &kernel;
}
