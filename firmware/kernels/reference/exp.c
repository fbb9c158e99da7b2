/* EXP: float32 (e^x in double, internal/fixedpoint.h) and int8 (table). */
#include "common/unary_common.h"
#include "internal/fixedpoint.h"
#include "internal/fmath.h"
#include "tfm/kernels.h"

static float exp_f32(float x) { return tfm_expf(x); }

static tfm_status prepare(tfm_context *ctx, tfm_node *node) {
  return tfm_lut_unary_prepare(ctx, node, "EXP", exp_f32, true);
}

static tfm_status eval(tfm_context *ctx, tfm_node *node) {
  return tfm_lut_unary_eval(ctx, node, exp_f32);
}

const tfm_kernel *tfm_register_exp(void) {
  static const tfm_kernel kernel = {"EXP", 2, prepare, eval};
  return &kernel;
}
