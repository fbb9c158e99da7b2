/* MAX_POOL_2D: input NHWC -> output NHWC. Reference eval as TFLite's
 * reference_ops::MaxPool (float) and reference_integer_ops::MaxPool
 * (int8/int16): maximum over the in-image taps, then the activation clamp. */
#include <float.h>

#include "common/pool_common.h"
#include "internal/quant.h"
#include "tfm/kernels.h"

static void max_f32(const tfm_pool_data *d, const float *in, float *out) {
  TFM_POOL_LOOP(float, float m = -FLT_MAX, if (v > m) m = v,
                tfm_clamp_f32(m, d->act_min_f, d->act_max_f))
}

static void max_s8(const tfm_pool_data *d, const int8_t *in, int8_t *out) {
  TFM_POOL_LOOP(int8_t, int8_t m = INT8_MIN, if (v > m) m = v,
                (int8_t)tfm_clamp_i32(m, d->act_min, d->act_max))
}

static void max_s16(const tfm_pool_data *d, const int16_t *in, int16_t *out) {
  TFM_POOL_LOOP(int16_t, int16_t m = INT16_MIN, if (v > m) m = v,
                (int16_t)tfm_clamp_i32(m, d->act_min, d->act_max))
}

static tfm_status eval(tfm_context *ctx, tfm_node *node) {
  static const tfm_pool_loops kLoops = {max_f32, max_s8, max_s16};
  return tfm_pool_eval(ctx, node, &kLoops);
}

const tfm_kernel *tfm_register_max_pool_2d(void) {
  static const tfm_kernel kernel = {"MAX_POOL_2D", 3, tfm_pool_prepare, eval};
  return &kernel;
}
