/* ELU: float32, x < 0 ? exp(x) - 1 : x. */
#include "common/unary_common.h"
#include "internal/fixedpoint.h"
#include "internal/fmath.h"
#include "tfm/kernels.h"

static float elu_f32(float x) { return x < 0.0f ? (float)tfm_expm1((double)x) : x; }

static tfm_status prepare(tfm_context *ctx, tfm_node *node) {
  return tfm_float_unary_prepare(ctx, node, "ELU");
}

static tfm_status eval(tfm_context *ctx, tfm_node *node) {
  return tfm_float_unary_eval(ctx, node, elu_f32);
}

const tfm_kernel *tfm_register_elu(void) {
  static const tfm_kernel kernel = {"ELU", 1, prepare, eval};
  return &kernel;
}
