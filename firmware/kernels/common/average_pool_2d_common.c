/* AVERAGE_POOL_2D shared pieces: prepare and the reference eval (see
 * common/average_pool_2d.h). */
#include "common/average_pool_2d.h"

#include "common/pool_common.h"
#include "internal/quant.h"

/* In-image taps of the current window: padding taps are not counted. */
#define WINDOW_TAPS ((fy1 - fy0) * (fx1 - fx0))

static void avg_f32(const TfmAveragePool2DData *d, const float *in, float *out) {
  TFM_POOL_LOOP(float, float acc = 0.0f, acc += v,
                tfm_clamp_f32(acc / (float)WINDOW_TAPS, d->act_min_f, d->act_max_f))
}

static int32_t rounded_average(int32_t acc, int32_t count) {
  return acc > 0 ? (acc + count / 2) / count : (acc - count / 2) / count;
}

static void avg_s8(const TfmAveragePool2DData *d, const int8_t *in, int8_t *out) {
  TFM_POOL_LOOP(int8_t, int32_t acc = 0, acc += v,
                (int8_t)tfm_clamp_i32(rounded_average(acc, WINDOW_TAPS), d->act_min, d->act_max))
}

static void avg_s16(const TfmAveragePool2DData *d, const int16_t *in, int16_t *out) {
  TFM_POOL_LOOP(int16_t, int32_t acc = 0, acc += v,
                (int16_t)tfm_clamp_i32(rounded_average(acc, WINDOW_TAPS), d->act_min, d->act_max))
}

tfm_status tfm_average_pool_2d_prepare(tfm_context *ctx, tfm_node *node) {
  TFM_TRY(tfm_pool_prepare(ctx, node));
  const TfmAveragePool2DData *d = (const TfmAveragePool2DData *)node->data;
  /* A window entirely in the padding has no taps to average (TFLite fails too). */
  if (d->padding.height >= d->filter_h || d->padding.width >= d->filter_w) {
    return tfm_fail(ctx, TFM_BAD_MODEL, "padding (%ld, %ld) leaves empty windows for filter "
                    "(%ld, %ld)", (long)d->padding.height, (long)d->padding.width,
                    (long)d->filter_h, (long)d->filter_w);
  }
  return TFM_OK;
}

tfm_status tfm_average_pool_2d_eval_reference(tfm_context *ctx, tfm_node *node) {
  static const tfm_pool_loops kLoops = {avg_f32, avg_s8, avg_s16};
  return tfm_pool_eval(ctx, node, &kLoops);
}
