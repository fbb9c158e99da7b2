/* SIN: float32, exact argument reduction for every finite float. */
#include "common/sin.h"

#include "common/unary_common.h"
#include "internal/fixedpoint.h"
#include "internal/fmath.h"
#include "tfm/kernels.h"

static float sin_f32(float x) { return tfm_sinf(x); }

tfm_status tfm_sin_prepare(tfm_context *ctx, tfm_node *node) {
  return tfm_float_unary_prepare(ctx, node, "SIN");
}

tfm_status tfm_sin_eval_reference(tfm_context *ctx, tfm_node *node) {
  return tfm_float_unary_eval(ctx, node, sin_f32);
}
