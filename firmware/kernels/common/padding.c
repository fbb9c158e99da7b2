#include "common/padding.h"

int32_t tfm_padding_out_size(int padding, int32_t in_size, int32_t filter_size, int32_t stride,
                             int32_t dilation) {
  const int32_t effective = (filter_size - 1) * dilation + 1;
  if (stride == 0) return 0;
  switch (padding) {
    case TFM_PADDING_SAME: return (in_size + stride - 1) / stride;
    case TFM_PADDING_VALID: return (in_size + stride - effective) / stride;
    default: return 0;
  }
}

static int32_t padding_with_offset(int32_t stride, int32_t dilation, int32_t in_size,
                                   int32_t filter_size, int32_t out_size, int32_t *offset) {
  const int32_t effective = (filter_size - 1) * dilation + 1;
  int32_t total = (out_size - 1) * stride + effective - in_size;
  if (total < 0) total = 0;
  *offset = total % 2;
  return total / 2;
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
