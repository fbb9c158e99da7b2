/* Shared by AVERAGE_POOL_2D and MAX_POOL_2D: the window walk, the eval
 * dispatch on type, and the prepare: options, shapes, padding (TFLite's
 * ComputePaddingHeightWidth, dilation 1) and activation range. Types:
 * FLOAT32, INT8, INT16 (input and output of the same type; quantized input
 * and output must share scale and zero point, since pooling does not
 * rescale). */
#ifndef TFM_KERNELS_POOL_COMMON_H
#define TFM_KERNELS_POOL_COMMON_H

#include "common/padding.h"
#include "tfm/kernel.h"

typedef struct tfm_pool_data {
  int32_t batches, in_h, in_w, depth, out_h, out_w;
  int32_t filter_h, filter_w, stride_h, stride_w;
  tfm_padding padding;
  int32_t act_min, act_max;   /* quantized activation range */
  float act_min_f, act_max_f; /* float activation range */
} tfm_pool_data;

/* Parses Pool2DOptions, checks types and shapes, stores tfm_pool_data in
 * node->data. */
tfm_status tfm_pool_prepare(tfm_context *ctx, tfm_node *node);

/* Range [*start, *end) of window taps k with 0 <= origin + k < size, k < taps. */
static inline void tfm_pool_tap_range(int32_t origin, int32_t size, int32_t taps,
                                      int32_t *start, int32_t *end) {
  const int32_t room = size - origin;
  *start = origin < 0 ? -origin : 0;
  *end = room < taps ? room : taps;
}

/* Walks every output element of a pool (batch, y, x, channel: the output's
 * order) over its in-image window taps. In scope: `d` (tfm_pool_data), `in`
 * (const T *) and `out` (T *). Per window, [fy0, fy1) x [fx0, fx1) are the
 * tap ranges; per channel, INIT runs, then ACC for each tap value `v` (of
 * type T), then `*out++ = RESULT`. */
#define TFM_POOL_LOOP(T, INIT, ACC, RESULT)                                             \
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
          INIT;                                                                         \
          for (int32_t fy = fy0; fy < fy1; ++fy) {                                      \
            const T *row = in_b + ((y0 + fy) * d->in_w + x0) * d->depth + c;            \
            for (int32_t fx = fx0; fx < fx1; ++fx) {                                    \
              const T v = row[fx * d->depth];                                           \
              ACC;                                                                      \
            }                                                                           \
          }                                                                             \
          *out++ = RESULT;                                                              \
        }                                                                               \
      }                                                                                 \
    }                                                                                   \
  }

/* The per-type loops of one pool op, and the eval that picks one by the
 * input type (FLOAT32, INT8, INT16). */
typedef struct tfm_pool_loops {
  void (*f32)(const tfm_pool_data *d, const float *in, float *out);
  void (*s8)(const tfm_pool_data *d, const int8_t *in, int8_t *out);
  void (*s16)(const tfm_pool_data *d, const int16_t *in, int16_t *out);
} tfm_pool_loops;
tfm_status tfm_pool_eval(tfm_context *ctx, tfm_node *node, const tfm_pool_loops *loops);

#endif /* TFM_KERNELS_POOL_COMMON_H */
