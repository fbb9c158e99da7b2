/* MAX_POOL_2D: input NHWC -> output NHWC. Reference eval as TFLite's
 * reference_ops::MaxPool (float) and reference_integer_ops::MaxPool
 * (int8/int16): maximum over the in-image taps, then the activation clamp. */
#include <float.h>

#include "common/pool_common.h"
#include "internal/quant.h"
#include "tfm/kernels.h"

#define MAX_POOL_LOOP(T, LOWEST, CLAMP)                                                 \
  for (int32_t b = 0; b < d->batches; ++b) {                                            \
    const T *in_b = in + b * d->in_h * d->in_w * d->depth;                              \
    for (int32_t oy = 0; oy < d->out_h; ++oy) {                                         \
      const int32_t y0 = oy * d->stride_h - d->padding.height;                          \
      int32_t fy0, fy1;                                                                 \
      tfm_pool_tap_range(y0, d->in_h, d->filter_h, &fy0, &fy1);                         \
      for (int32_t ox = 0; ox < d->out_w; ++ox) {                                       \
        const int32_t x0 = ox * d->stride_w - d->padding.width;                         \
        int32_t fx0, fx1;                                                               \
        tfm_pool_tap_range(x0, d->in_w, d->filter_w, &fx0, &fx1);                       \
        for (int32_t c = 0; c < d->depth; ++c) {                                        \
          T m = LOWEST;                                                                 \
          for (int32_t fy = fy0; fy < fy1; ++fy) {                                      \
            const T *row = in_b + ((y0 + fy) * d->in_w + x0) * d->depth + c;            \
            for (int32_t fx = fx0; fx < fx1; ++fx) {                                    \
              const T v = row[fx * d->depth];                                           \
              if (v > m) m = v;                                                         \
            }                                                                           \
          }                                                                             \
          *out++ = CLAMP;                                                               \
        }                                                                               \
      }                                                                                 \
    }                                                                                   \
  }

static void max_f32(const tfm_pool_data *d, const float *in, float *out) {
  MAX_POOL_LOOP(float, -FLT_MAX, tfm_clamp_f32(m, d->act_min_f, d->act_max_f))
}

static void max_s8(const tfm_pool_data *d, const int8_t *in, int8_t *out) {
  MAX_POOL_LOOP(int8_t, INT8_MIN, (int8_t)tfm_clamp_i32(m, d->act_min, d->act_max))
}

static void max_s16(const tfm_pool_data *d, const int16_t *in, int16_t *out) {
  MAX_POOL_LOOP(int16_t, INT16_MIN, (int16_t)tfm_clamp_i32(m, d->act_min, d->act_max))
}

static tfm_status eval(tfm_context *ctx, tfm_node *node) {
  const tfm_pool_data *d = (const tfm_pool_data *)node->data;
  const tfm_tensor *in = tfm_input(ctx, node, 0);
  tfm_tensor *out = tfm_output(ctx, node, 0);
  switch (in->type) {
    case TFM_FLOAT32: max_f32(d, (const float *)in->data, (float *)out->data); return TFM_OK;
    case TFM_INT8: max_s8(d, (const int8_t *)in->data, (int8_t *)out->data); return TFM_OK;
    case TFM_INT16: max_s16(d, (const int16_t *)in->data, (int16_t *)out->data); return TFM_OK;
    default:
      return tfm_fail(ctx, TFM_UNSUPPORTED, "input type %s not supported",
                      tfm_type_name((tfm_type)in->type));
  }
}

const tfm_kernel *tfm_register_max_pool_2d(void) {
  static const tfm_kernel kernel = {"MAX_POOL_2D", 3, tfm_pool_prepare, eval};
  return &kernel;
}
