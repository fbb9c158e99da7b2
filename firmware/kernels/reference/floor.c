/* FLOOR: float32, largest integer not above x. */
#include "common/unary_common.h"
#include "internal/fmath.h"
#include "tfm/kernels.h"

static float floor_f32(float x) { return tfm_floorf(x); }

static tfm_status prepare(tfm_context *ctx, tfm_node *node) {
  return tfm_float_unary_prepare(ctx, node, "FLOOR");
}

static tfm_status eval(tfm_context *ctx, tfm_node *node) {
  return tfm_float_unary_eval(ctx, node, floor_f32);
}

const tfm_kernel *tfm_register_floor(void) {
  static const tfm_kernel kernel = {"FLOOR", 1, prepare, eval};
  return &kernel;
}
