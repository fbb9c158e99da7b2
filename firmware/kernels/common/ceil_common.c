/* CEIL: float32, smallest integer not below x. */
#include "common/ceil.h"

#include "common/unary_common.h"
#include "internal/fmath.h"
#include "tfm/kernels.h"

static float ceil_f32(float x) { return tfm_ceilf(x); }

tfm_status tfm_ceil_prepare(tfm_context *ctx, tfm_node *node) {
  return tfm_float_unary_prepare(ctx, node, "CEIL");
}

tfm_status tfm_ceil_eval_reference(tfm_context *ctx, tfm_node *node) {
  return tfm_float_unary_eval(ctx, node, ceil_f32);
}
