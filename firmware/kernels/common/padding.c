#include "common/padding.h"

/* The arithmetic is done in int64 and clamped to int32: hostile strides,
 * dilations or filter sizes then give sizes the callers' shape checks refuse,
 * instead of overflowing int32 (undefined behaviour). Within range the
 * results are TFLite's. */
static int32_t clamp_i32(int64_t v) {
  return v > INT32_MAX ? INT32_MAX : (v < INT32_MIN ? INT32_MIN : (int32_t)v);
}

static int64_t effective_size(int32_t filter_size, int32_t dilation) {
  return ((int64_t)filter_size - 1) * dilation + 1;
}

int32_t tfm_padding_out_size(int padding, int32_t in_size, int32_t filter_size, int32_t stride,
                             int32_t dilation) {
  if (stride == 0) return 0;
  const int64_t effective = effective_size(filter_size, dilation);
  switch (padding) {
    case TFM_PADDING_SAME: return clamp_i32(((int64_t)in_size + stride - 1) / stride);
    case TFM_PADDING_VALID: return clamp_i32(((int64_t)in_size + stride - effective) / stride);
    default: return 0;
  }
}

static int32_t padding_with_offset(int32_t stride, int32_t dilation, int32_t in_size,
                                   int32_t filter_size, int32_t out_size, int32_t *offset) {
  int64_t total = ((int64_t)out_size - 1) * stride + effective_size(filter_size, dilation) -
                  in_size;
  if (total < 0) total = 0;
  total = clamp_i32(total);
  *offset = (int32_t)(total % 2);
  return (int32_t)(total / 2);
}

tfm_padding tfm_padding_compute(int padding, int32_t stride_h, int32_t stride_w,
                                int32_t dilation_h, int32_t dilation_w, int32_t in_h,
                                int32_t in_w, int32_t filter_h, int32_t filter_w,
                                int32_t *out_h, int32_t *out_w) {
  tfm_padding p;
  *out_w = tfm_padding_out_size(padding, in_w, filter_w, stride_w, dilation_w);
  *out_h = tfm_padding_out_size(padding, in_h, filter_h, stride_h, dilation_h);
  p.height = padding_with_offset(stride_h, dilation_h, in_h, filter_h, *out_h, &p.height_offset);
  p.width = padding_with_offset(stride_w, dilation_w, in_w, filter_w, *out_w, &p.width_offset);
  return p;
}

static int64_t axis_extent(int32_t size, int32_t windows, int32_t stride, int32_t dilation,
                           int32_t filter) {
  const int64_t e = (int64_t)size + (int64_t)stride * windows +
                    2 * effective_size(filter, dilation) + dilation;
  return e < 0 ? -e : e;
}

bool tfm_padding_indices_fit(int32_t size_h, int32_t size_w, int32_t depth, int32_t windows_h,
                             int32_t windows_w, int32_t stride_h, int32_t stride_w,
                             int32_t dilation_h, int32_t dilation_w, int32_t filter_h,
                             int32_t filter_w) {
  const int64_t h = axis_extent(size_h, windows_h, stride_h, dilation_h, filter_h);
  const int64_t w = axis_extent(size_w, windows_w, stride_w, dilation_w, filter_w);
  const int64_t d = depth < 1 ? 1 : depth;
  /* each factor is below 2^34: test step by step so the products stay in int64 */
  return h <= INT32_MAX && w <= INT32_MAX && h * w <= INT32_MAX && h * w * d <= INT32_MAX;
}
