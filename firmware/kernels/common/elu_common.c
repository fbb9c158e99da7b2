/* ELU: float32 (x < 0 ? expm1(x) : x) and int8 (a table of x < 0 ? e^x - 1 : x,
 * as TFLite's EluPrepare builds it: exp minus one in float, not expm1). */
#include "common/elu.h"

#include "common/unary_common.h"
#include "internal/fixedpoint.h"
#include "internal/fmath.h"
#include "tfm/kernels.h"

static float elu_f32(float x) { return x < 0.0f ? (float)tfm_expm1((double)x) : x; }
static float elu_lut(float x) { return x < 0.0f ? tfm_expf(x) - 1.0f : x; }

tfm_status tfm_elu_prepare(tfm_context *ctx, tfm_node *node) {
  return tfm_lut_unary_prepare(ctx, node, "ELU", elu_lut, false);
}

tfm_status tfm_elu_eval_reference(tfm_context *ctx, tfm_node *node) {
  return tfm_lut_unary_eval(ctx, node, elu_f32);
}
