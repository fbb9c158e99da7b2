/* LOG: float32 (-inf at 0, NaN below), int8 and int16 (tables; x <= 0 gives
 * the lowest output, as TFLite's output_min). */
#include "common/log.h"

#include "common/unary_common.h"
#include "internal/fixedpoint.h"
#include "internal/fmath.h"
#include "tfm/kernels.h"

/* The tables map x <= 0 to the lowest output value, as TFLite's LogLUTPrepare
 * (the int16 table's interpolation nudges need it finite). Set by prepare
 * just before it builds a table (nodes are prepared one at a time). */
static float g_output_min;
static float log_lut(float x) { return x > 0.0f ? tfm_logf(x) : g_output_min; }
static float log_f32(float x) { return tfm_logf(x); } /* NaN below 0, -inf at 0 */

tfm_status tfm_log_prepare(tfm_context *ctx, tfm_node *node) {
  const tfm_tensor *out = tfm_output(ctx, node, 0);
  if (out) {
    const int32_t lowest = out->type == TFM_INT16 ? -32768 : -128;
    g_output_min = (float)(lowest - out->zero_point) * out->scale;
  }
  return tfm_lut_unary_prepare(ctx, node, "LOG", log_lut, true);
}

tfm_status tfm_log_eval_reference(tfm_context *ctx, tfm_node *node) {
  return tfm_lut_unary_eval(ctx, node, log_f32);
}
