/* L2_POOL_2D: float32 NHWC, sqrt(sum of squares / in-image taps) per window
 * as TFLite's reference_ops::L2Pool, then the fused activation. Options and
 * padding as the other pools (common/pool_common.h). */
#include "common/l2_pool_2d.h"

#include "common/pool_common.h"
#include "internal/fmath.h"
#include "internal/quant.h"
#include "tfm/kernels.h"

static void l2_f32(const tfm_pool_data *d, const float *in, float *out) {
  TFM_POOL_LOOP(float, float acc = 0.0f; int32_t taps = 0, (acc += v * v, ++taps),
                tfm_clamp_f32(tfm_sqrtf(acc / (float)taps), d->act_min_f, d->act_max_f))
}

tfm_status tfm_l2_pool_2d_prepare(tfm_context *ctx, tfm_node *node) {
  TFM_TRY(tfm_pool_prepare(ctx, node));
  if (tfm_input(ctx, node, 0)->type != TFM_FLOAT32) {
    return tfm_fail(ctx, TFM_UNSUPPORTED, "type %s not supported (FLOAT32 only, as TFLite)",
                    tfm_type_name((tfm_type)tfm_input(ctx, node, 0)->type));
  }
  return TFM_OK;
}

tfm_status tfm_l2_pool_2d_eval_reference(tfm_context *ctx, tfm_node *node) {
  static const tfm_pool_loops kLoops = {l2_f32, NULL, NULL};
  return tfm_pool_eval(ctx, node, &kLoops);
}
