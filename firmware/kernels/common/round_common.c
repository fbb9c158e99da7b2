/* ROUND: float32, round half to even (TFLite's RoundToNearest, not C's round). */
#include "common/round.h"

#include "common/unary_common.h"
#include "internal/fmath.h"
#include "tfm/kernels.h"

static float round_f32(float x) {
  const float f = tfm_floorf(x);
  const float diff = x - f; /* NaN for +-inf and NaN: falls through to f + 1 */
  if (diff < 0.5f) return f;
  if (diff == 0.5f) return tfm_fmodf(f, 2.0f) == 0.0f ? f : f + 1.0f;
  return f + 1.0f;
}

tfm_status tfm_round_prepare(tfm_context *ctx, tfm_node *node) {
  return tfm_float_unary_prepare(ctx, node, "ROUND");
}

tfm_status tfm_round_eval_reference(tfm_context *ctx, tfm_node *node) {
  return tfm_float_unary_eval(ctx, node, round_f32);
}
