/* SIN: float32, exact argument reduction for every finite float. */
#include "common/unary_common.h"
#include "internal/fixedpoint.h"
#include "internal/fmath.h"
#include "tfm/kernels.h"

static float sin_f32(float x) { return tfm_sinf(x); }

static tfm_status prepare(tfm_context *ctx, tfm_node *node) {
  return tfm_float_unary_prepare(ctx, node, "SIN");
}

static tfm_status eval(tfm_context *ctx, tfm_node *node) {
  return tfm_float_unary_eval(ctx, node, sin_f32);
}

const tfm_kernel *tfm_register_sin(void) {
  static const tfm_kernel kernel = {"SIN", 1, prepare, eval};
  return &kernel;
}
