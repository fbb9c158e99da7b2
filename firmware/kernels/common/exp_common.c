/* EXP: float32 (e^x in double, internal/fixedpoint.h) and int8 (table). */
#include "common/exp.h"

#include "common/unary_common.h"
#include "internal/fixedpoint.h"
#include "internal/fmath.h"
#include "tfm/kernels.h"

static float exp_f32(float x) { return tfm_expf(x); }

tfm_status tfm_exp_prepare(tfm_context *ctx, tfm_node *node) {
  return tfm_lut_unary_prepare(ctx, node, "EXP", exp_f32, true);
}

tfm_status tfm_exp_eval_reference(tfm_context *ctx, tfm_node *node) {
  return tfm_lut_unary_eval(ctx, node, exp_f32);
}
