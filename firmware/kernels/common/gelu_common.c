/* GELU: float32, int8 and int16 (tables; int16 only for the exact form), as
 * TFLite's reference GeluTransform:
 * 0.5 x erfc(-x / sqrt 2), or with option approximate (offset 4)
 * 0.5 x (1 + tanh(sqrt(2 / pi) (x + 0.044715 x^3))), in float like TFLite
 * with erfc and tanh from internal/ (no libm). */
#include "common/gelu.h"

#include "common/unary_common.h"
#include "internal/fixedpoint.h"
#include "internal/fmath.h"
#include "tfm/kernels.h"

static float gelu_exact(float x) {
  return 0.5f * x * (float)tfm_erfc((double)(x * -0.707106781f));
}

static float gelu_tanh(float x) {
  const float k = 0.797884561f; /* sqrt(2 / pi) */
  return 0.5f * x * (1.0f + tfm_tanhf(k * (x + 0.044715f * x * x * x)));
}

static float (*transform(const tfm_node *node))(float) {
  return tfm_opt_bool(node, 4, false) ? gelu_tanh : gelu_exact;
}

tfm_status tfm_gelu_prepare(tfm_context *ctx, tfm_node *node) {
  const tfm_tensor *in = tfm_input(ctx, node, 0);
  if (in && in->type == TFM_INT16 && tfm_opt_bool(node, 4, false)) {
    /* 1 + tanh cancels near x = -3: a 1-ulp difference from glibc's tanhf moves
     * an entry of TFLite's interpolated int16 table, so it cannot be bit-exact */
    return tfm_fail(ctx, TFM_UNSUPPORTED, "INT16 with approximate=true not supported");
  }
  return tfm_lut_unary_prepare(ctx, node, "GELU", transform(node), true);
}

tfm_status tfm_gelu_eval_reference(tfm_context *ctx, tfm_node *node) {
  return tfm_lut_unary_eval(ctx, node, transform(node));
}
