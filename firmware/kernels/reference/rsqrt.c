/* RSQRT: float32, 1 / sqrt(x) with one rounded sqrt and one rounded division, as TFLite. */
#include "common/unary_common.h"
#include "internal/fmath.h"
#include "tfm/kernels.h"

static float rsqrt_f32(float x) { return 1.0f / tfm_sqrtf(x); }

static tfm_status prepare(tfm_context *ctx, tfm_node *node) {
  return tfm_float_unary_prepare(ctx, node, "RSQRT");
}

static tfm_status eval(tfm_context *ctx, tfm_node *node) {
  return tfm_float_unary_eval(ctx, node, rsqrt_f32);
}

const tfm_kernel *tfm_register_rsqrt(void) {
  static const tfm_kernel kernel = {"RSQRT", 1, prepare, eval};
  return &kernel;
}
