/* LOG: float32 and int8 (table; x <= 0 gives the lowest output, as TFLite's
 * output_min; float32: -inf at 0, NaN below). */
#include "common/unary_common.h"
#include "internal/fixedpoint.h"
#include "internal/fmath.h"
#include "tfm/kernels.h"

/* int8 tables map x <= 0 to -inf, which rounds and clamps to -128 as TFLite's
 * output_min does; float32 keeps NaN below 0. */
static float log_lut(float x) { return x > 0.0f ? tfm_logf(x) : -tfm_f32_from_bits(0x7f800000u); }
static float log_f32(float x) { return tfm_logf(x); }

static tfm_status prepare(tfm_context *ctx, tfm_node *node) {
  return tfm_lut_unary_prepare(ctx, node, "LOG", log_lut);
}

static tfm_status eval(tfm_context *ctx, tfm_node *node) {
  return tfm_lut_unary_eval(ctx, node, log_f32);
}

const tfm_kernel *tfm_register_log(void) {
  static const tfm_kernel kernel = {"LOG", 2, prepare, eval};
  return &kernel;
}
