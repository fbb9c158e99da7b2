/* AVERAGE_POOL_2D: input NHWC -> output NHWC. Reference eval as TFLite's
 * reference_ops::AveragePool (float: sum / count in float) and
 * reference_integer_ops::AveragePool (int8/int16: int32 sum, divided by the
 * number of in-image taps rounding half away from zero). Padding taps are
 * not counted. */
#include "common/pool_common.h"
#include "internal/quant.h"
#include "tfm/kernels.h"

/* In-image taps of the current window: padding taps are not counted. */
#define WINDOW_TAPS ((fy1 - fy0) * (fx1 - fx0))

static void avg_f32(const tfm_pool_data *d, const float *in, float *out) {
  TFM_POOL_LOOP(float, float acc = 0.0f, acc += v,
                tfm_clamp_f32(acc / (float)WINDOW_TAPS, d->act_min_f, d->act_max_f))
}

static int32_t rounded_average(int32_t acc, int32_t count) {
  return acc > 0 ? (acc + count / 2) / count : (acc - count / 2) / count;
}

static void avg_s8(const tfm_pool_data *d, const int8_t *in, int8_t *out) {
  TFM_POOL_LOOP(int8_t, int32_t acc = 0, acc += v,
                (int8_t)tfm_clamp_i32(rounded_average(acc, WINDOW_TAPS), d->act_min, d->act_max))
}

static void avg_s16(const tfm_pool_data *d, const int16_t *in, int16_t *out) {
  TFM_POOL_LOOP(int16_t, int32_t acc = 0, acc += v,
                (int16_t)tfm_clamp_i32(rounded_average(acc, WINDOW_TAPS), d->act_min, d->act_max))
}

static tfm_status prepare(tfm_context *ctx, tfm_node *node) {
  TFM_TRY(tfm_pool_prepare(ctx, node));
  const tfm_pool_data *d = (const tfm_pool_data *)node->data;
  /* A window entirely in the padding has no taps to average (TFLite fails too). */
  if (d->padding.height >= d->filter_h || d->padding.width >= d->filter_w) {
    return tfm_fail(ctx, TFM_BAD_MODEL, "padding (%ld, %ld) leaves empty windows for filter "
                    "(%ld, %ld)", (long)d->padding.height, (long)d->padding.width,
                    (long)d->filter_h, (long)d->filter_w);
  }
  return TFM_OK;
}

static tfm_status eval(tfm_context *ctx, tfm_node *node) {
  static const tfm_pool_loops kLoops = {avg_f32, avg_s8, avg_s16};
  return tfm_pool_eval(ctx, node, &kLoops);
}

const tfm_kernel *tfm_register_average_pool_2d(void) {
  static const tfm_kernel kernel = {"AVERAGE_POOL_2D", 3, prepare, eval};
  return &kernel;
}
