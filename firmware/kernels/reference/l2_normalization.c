/* L2_NORMALIZATION: float32 over the last dim, as TFLite's reference:
 * x / max(sqrt(sum of squares), 1e-6), float sums in order. Only the NONE
 * fused activation exists in TFLite. */
#include "common/activation_common.h"
#include "internal/fmath.h"
#include "tfm/kernels.h"

static tfm_status prepare(tfm_context *ctx, tfm_node *node) {
  static const int kTypes[] = {TFM_FLOAT32, -1};
  const tfm_tensor *in, *out;
  TFM_TRY(tfm_unary_prepare(ctx, node, "L2_NORMALIZATION", kTypes, true, 0, &in, &out));
  if (in->rank < 1) return tfm_fail(ctx, TFM_BAD_MODEL, "input needs rank >= 1");
  const int32_t act = tfm_opt_i8(node, 4, 0);
  if (act != 0) return tfm_fail(ctx, TFM_UNSUPPORTED, "fused activation %d not supported", act);
  return TFM_OK;
}

static tfm_status eval(tfm_context *ctx, tfm_node *node) {
  const tfm_tensor *in = tfm_input(ctx, node, 0);
  tfm_tensor *out = tfm_output(ctx, node, 0);
  const int32_t depth = in->dims[in->rank - 1];
  const int32_t outer = depth ? tfm_tensor_elements(in) / depth : 0;
  for (int32_t i = 0; i < outer; ++i) {
    const float *x = (const float *)in->data + (size_t)i * depth;
    float *y = (float *)out->data + (size_t)i * depth;
    float sq = 0.0f;
    for (int32_t c = 0; c < depth; ++c) sq += x[c] * x[c];
    float norm = tfm_sqrtf(sq);
    norm = norm < 1e-6f ? 1e-6f : norm; /* std::max(norm, epsilon): NaN stays NaN */
    for (int32_t c = 0; c < depth; ++c) y[c] = x[c] / norm;
  }
  return TFM_OK;
}

const tfm_kernel *tfm_register_l2_normalization(void) {
  static const tfm_kernel kernel = {"L2_NORMALIZATION", 2, prepare, eval};
  return &kernel;
}
