/* L2_NORMALIZATION over the last dim, as TFLite's reference kernels:
 * float32 x / max(sqrt(sum of squares), 1e-6), float sums in order; int8
 * (output scale 1/128, zero point 0) with the int32 sum of squared
 * (x - zero_point) turned into 1/sqrt by GetInvSqrtQuantizedMultiplierExp.
 * Only the NONE fused activation exists in TFLite. */
#include "common/l2_normalization.h"

#include "common/activation_common.h"
#include "internal/fmath.h"
#include "internal/inv_sqrt.h"
#include "internal/quant.h"
#include "tfm/kernels.h"

tfm_status tfm_l2_normalization_prepare(tfm_context *ctx, tfm_node *node) {
  static const int kTypes[] = {TFM_FLOAT32, TFM_INT8, -1};
  const tfm_tensor *in, *out;
  TFM_TRY(tfm_unary_prepare(ctx, node, "L2_NORMALIZATION", kTypes, true, 0, &in, &out));
  if (in->type == TFM_INT8 && (out->scale != 1.0f / 128.0f || out->zero_point != 0)) {
    return tfm_fail(ctx, TFM_UNSUPPORTED, "INT8 output needs scale 1/128 and zero point 0");
  }
  if (in->rank < 1) return tfm_fail(ctx, TFM_BAD_MODEL, "input needs rank >= 1");
  const int32_t act = tfm_opt_i8(node, 4, 0);
  if (act != 0) return tfm_fail(ctx, TFM_UNSUPPORTED, "fused activation %d not supported", act);
  return TFM_OK;
}

static void eval_int8(const tfm_tensor *in, tfm_tensor *out, int32_t outer, int32_t depth) {
  const int32_t zp = in->zero_point;
  for (int32_t i = 0; i < outer; ++i) {
    const int8_t *x = (const int8_t *)in->data + (size_t)i * depth;
    int8_t *y = (int8_t *)out->data + (size_t)i * depth;
    int32_t acc = 0;
    for (int32_t c = 0; c < depth; ++c) acc = tfm_add_wrap_i32(acc, (x[c] - zp) * (x[c] - zp));
    int32_t multiplier;
    int shift;
    tfm_inv_sqrt_quantized_multiplier_exp(acc, -1, &multiplier, &shift);
    for (int32_t c = 0; c < depth; ++c) {
      /* output in 1/128 units: the shift folds in 2^7 */
      const int32_t v = tfm_multiply_by_quantized_multiplier(x[c] - zp, multiplier, shift + 7);
      y[c] = (int8_t)tfm_clamp_i32(v, -128, 127);
    }
  }
}

tfm_status tfm_l2_normalization_eval_reference(tfm_context *ctx, tfm_node *node) {
  const tfm_tensor *in = tfm_input(ctx, node, 0);
  tfm_tensor *out = tfm_output(ctx, node, 0);
  const int32_t depth = in->dims[in->rank - 1];
  const int32_t outer = depth ? tfm_tensor_elements(in) / depth : 0;
  if (in->type == TFM_INT8) {
    eval_int8(in, out, outer, depth);
    return TFM_OK;
  }
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
