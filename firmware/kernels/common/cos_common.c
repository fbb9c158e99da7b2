/* COS: float32, exact argument reduction for every finite float. */
#include "common/cos.h"

#include "common/unary_common.h"
#include "internal/fixedpoint.h"
#include "internal/fmath.h"
#include "tfm/kernels.h"

static float cos_f32(float x) { return tfm_cosf(x); }

tfm_status tfm_cos_prepare(tfm_context *ctx, tfm_node *node) {
  return tfm_float_unary_prepare(ctx, node, "COS");
}

tfm_status tfm_cos_eval_reference(tfm_context *ctx, tfm_node *node) {
  return tfm_float_unary_eval(ctx, node, cos_f32);
}
