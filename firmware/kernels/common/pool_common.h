/* Shared prepare for AVERAGE_POOL_2D and MAX_POOL_2D: options, shapes,
 * padding (TFLite's ComputePaddingHeightWidth, dilation 1) and activation
 * range. Types: FLOAT32, INT8, INT16 (input and output of the same type;
 * quantized input and output must share scale and zero point, since pooling
 * does not rescale). */
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

#endif /* TFM_KERNELS_POOL_COMMON_H */
