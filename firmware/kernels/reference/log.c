/* LOG: float32, natural log (NaN below 0, -inf at 0). */
#include "common/unary_common.h"
#include "internal/fixedpoint.h"
#include "internal/fmath.h"
#include "tfm/kernels.h"

static float log_f32(float x) { return tfm_logf(x); }

static tfm_status prepare(tfm_context *ctx, tfm_node *node) {
  return tfm_float_unary_prepare(ctx, node, "LOG");
}

static tfm_status eval(tfm_context *ctx, tfm_node *node) {
  return tfm_float_unary_eval(ctx, node, log_f32);
}

const tfm_kernel *tfm_register_log(void) {
  static const tfm_kernel kernel = {"LOG", 1, prepare, eval};
  return &kernel;
}
