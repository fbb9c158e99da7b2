/* FLOOR: float32, largest integer not above x. */
#include "common/floor.h"

#include "common/unary_common.h"
#include "internal/fmath.h"
#include "tfm/kernels.h"

static float floor_f32(float x) { return tfm_floorf(x); }

tfm_status tfm_floor_prepare(tfm_context *ctx, tfm_node *node) {
  return tfm_float_unary_prepare(ctx, node, "FLOOR");
}

tfm_status tfm_floor_eval_reference(tfm_context *ctx, tfm_node *node) {
  return tfm_float_unary_eval(ctx, node, floor_f32);
}
