/* CEIL: float32, smallest integer not below x. */
#include "common/unary_common.h"
#include "internal/fmath.h"
#include "tfm/kernels.h"

static float ceil_f32(float x) { return tfm_ceilf(x); }

static tfm_status prepare(tfm_context *ctx, tfm_node *node) {
  return tfm_float_unary_prepare(ctx, node, "CEIL");
}

static tfm_status eval(tfm_context *ctx, tfm_node *node) {
  return tfm_float_unary_eval(ctx, node, ceil_f32);
}

const tfm_kernel *tfm_register_ceil(void) {
  static const tfm_kernel kernel = {"CEIL", 1, prepare, eval};
  return &kernel;
}
