/* SQRT: float32, correctly rounded square root (NaN below 0). */
#include "common/unary_common.h"
#include "internal/fmath.h"
#include "tfm/kernels.h"

static float sqrt_f32(float x) { return tfm_sqrtf(x); }

static tfm_status prepare(tfm_context *ctx, tfm_node *node) {
  return tfm_float_unary_prepare(ctx, node, "SQRT");
}

static tfm_status eval(tfm_context *ctx, tfm_node *node) {
  return tfm_float_unary_eval(ctx, node, sqrt_f32);
}

const tfm_kernel *tfm_register_sqrt(void) {
  static const tfm_kernel kernel = {"SQRT", 1, prepare, eval};
  return &kernel;
}
