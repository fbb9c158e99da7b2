/* AVERAGE_POOL_2D: input NHWC -> output NHWC. Reference eval as TFLite's
 * reference_ops::AveragePool (float: sum / count in float) and
 * reference_integer_ops::AveragePool (int8/int16: int32 sum, divided by the
 * number of in-image taps rounding half away from zero). Padding taps are
 * not counted. */
#include "common/pool_common.h"
#include "internal/quant.h"
#include "tfm/kernels.h"

#define AVG_POOL_LOOP(T, BODY_INIT, BODY_ACC, BODY_OUT)                                 \
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
        const int32_t count = (fy1 - fy0) * (fx1 - fx0);                                \
        for (int32_t c = 0; c < d->depth; ++c) {                                        \
          BODY_INIT;                                                                    \
          for (int32_t fy = fy0; fy < fy1; ++fy) {                                      \
            const T *row = in_b + ((y0 + fy) * d->in_w + x0) * d->depth + c;            \
            for (int32_t fx = fx0; fx < fx1; ++fx) BODY_ACC(row[fx * d->depth]);        \
          }                                                                             \
          BODY_OUT;                                                                     \
        }                                                                               \
      }                                                                                 \
    }                                                                                   \
  }

#define ACC_ADD(v) acc += (v)

static void avg_f32(const tfm_pool_data *d, const float *in, float *out) {
  AVG_POOL_LOOP(float, float acc = 0.0f, ACC_ADD,
                *out++ = tfm_clamp_f32(acc / (float)count, d->act_min_f, d->act_max_f))
}

static int32_t rounded_average(int32_t acc, int32_t count) {
  return acc > 0 ? (acc + count / 2) / count : (acc - count / 2) / count;
}

static void avg_s8(const tfm_pool_data *d, const int8_t *in, int8_t *out) {
  AVG_POOL_LOOP(int8_t, int32_t acc = 0, ACC_ADD,
                *out++ = (int8_t)tfm_clamp_i32(rounded_average(acc, count), d->act_min,
                                               d->act_max))
}

static void avg_s16(const tfm_pool_data *d, const int16_t *in, int16_t *out) {
  AVG_POOL_LOOP(int16_t, int32_t acc = 0, ACC_ADD,
                *out++ = (int16_t)tfm_clamp_i32(rounded_average(acc, count), d->act_min,
                                                d->act_max))
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
  const tfm_pool_data *d = (const tfm_pool_data *)node->data;
  const tfm_tensor *in = tfm_input(ctx, node, 0);
  tfm_tensor *out = tfm_output(ctx, node, 0);
  switch (in->type) {
    case TFM_FLOAT32: avg_f32(d, (const float *)in->data, (float *)out->data); return TFM_OK;
    case TFM_INT8: avg_s8(d, (const int8_t *)in->data, (int8_t *)out->data); return TFM_OK;
    case TFM_INT16: avg_s16(d, (const int16_t *)in->data, (int16_t *)out->data); return TFM_OK;
    default:
      return tfm_fail(ctx, TFM_UNSUPPORTED, "input type %s not supported",
                      tfm_type_name((tfm_type)in->type));
  }
}

const tfm_kernel *tfm_register_average_pool_2d(void) {
  static const tfm_kernel kernel = {"AVERAGE_POOL_2D", 3, prepare, eval};
  return &kernel;
}
