/* MAX_POOL_2D shared pieces: prepare and the reference eval (see
 * common/max_pool_2d.h). */
#include "common/max_pool_2d.h"

#include <float.h>

#include "common/pool_common.h"
#include "internal/quant.h"

static void max_f32(const TfmMaxPool2DData *d, const float *in, float *out) {
  TFM_POOL_LOOP(float, float m = -FLT_MAX, if (v > m) m = v,
                tfm_clamp_f32(m, d->act_min_f, d->act_max_f))
}

static void max_s8(const TfmMaxPool2DData *d, const int8_t *in, int8_t *out) {
  TFM_POOL_LOOP(int8_t, int8_t m = INT8_MIN, if (v > m) m = v,
                (int8_t)tfm_clamp_i32(m, d->act_min, d->act_max))
}

static void max_s16(const TfmMaxPool2DData *d, const int16_t *in, int16_t *out) {
  TFM_POOL_LOOP(int16_t, int16_t m = INT16_MIN, if (v > m) m = v,
                (int16_t)tfm_clamp_i32(m, d->act_min, d->act_max))
}

tfm_status tfm_max_pool_2d_eval_reference(tfm_context *ctx, tfm_node *node) {
  static const tfm_pool_loops kLoops = {max_f32, max_s8, max_s16};
  return tfm_pool_eval(ctx, node, &kLoops);
}
