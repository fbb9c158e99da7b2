/* SQUARE: float32, x * x. */
#include "common/unary_common.h"
#include "internal/fmath.h"
#include "tfm/kernels.h"

static float square_f32(float x) { return x * x; }

static tfm_status prepare(tfm_context *ctx, tfm_node *node) {
  return tfm_float_unary_prepare(ctx, node, "SQUARE");
}

static tfm_status eval(tfm_context *ctx, tfm_node *node) {
  return tfm_float_unary_eval(ctx, node, square_f32);
}

const tfm_kernel *tfm_register_square(void) {
  static const tfm_kernel kernel = {"SQUARE", 1, prepare, eval};
  return &kernel;
}
