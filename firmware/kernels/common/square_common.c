/* SQUARE: float32, x * x. */
#include "common/square.h"

#include "common/unary_common.h"
#include "internal/fmath.h"
#include "tfm/kernels.h"

static float square_f32(float x) { return x * x; }

tfm_status tfm_square_prepare(tfm_context *ctx, tfm_node *node) {
  return tfm_float_unary_prepare(ctx, node, "SQUARE");
}

tfm_status tfm_square_eval_reference(tfm_context *ctx, tfm_node *node) {
  return tfm_float_unary_eval(ctx, node, square_f32);
}
