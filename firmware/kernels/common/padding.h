/* Padding and output-size arithmetic shared by conv, depthwise, transpose
 * conv and pooling.
 *
 * Reproduces TFLite's ComputeOutSize / ComputePaddingHeightWidth
 * (tensorflow/lite/kernels/padding.h): SAME pads so that
 * out = ceil(in / stride), putting the odd pixel at the end (offset);
 * VALID uses no padding and out = floor((in - effective_filter) / stride) + 1. */
#ifndef TFM_KERNELS_PADDING_H
#define TFM_KERNELS_PADDING_H

#include <stdbool.h>
#include <stdint.h>

/* Schema Padding enum values. */
enum { TFM_PADDING_SAME = 0, TFM_PADDING_VALID = 1 };

typedef struct tfm_padding {
  int32_t height;
  int32_t width;
  int32_t height_offset; /* extra padding at the bottom (odd total) */
  int32_t width_offset;
} tfm_padding;

/* Output size along one axis; 0 for an unknown padding or zero stride. */
int32_t tfm_padding_out_size(int padding, int32_t in_size, int32_t filter_size, int32_t stride,
                             int32_t dilation);

/* Padding for a 2-D window; also returns the output height/width that
 * TFLite would compute for these parameters. */
tfm_padding tfm_padding_compute(int padding, int32_t stride_h, int32_t stride_w,
                                int32_t dilation_h, int32_t dilation_w, int32_t in_h,
                                int32_t in_w, int32_t filter_h, int32_t filter_w,
                                int32_t *out_h, int32_t *out_w);

/* False when the parameters are so large (hostile strides, dilations or
 * filter sizes near 2^31) that the int32 index arithmetic of the reference
 * window loops could overflow: along each axis, size + stride * windows +
 * 2 * effective filter + dilation, multiplied together and by `depth`, must
 * fit int32 (real models are orders of magnitude below). `size` is the
 * padded image (input for conv and pooling, output for TRANSPOSE_CONV),
 * `windows` the number of window positions (the other tensor). */
bool tfm_padding_indices_fit(int32_t size_h, int32_t size_w, int32_t depth, int32_t windows_h,
                             int32_t windows_w, int32_t stride_h, int32_t stride_w,
                             int32_t dilation_h, int32_t dilation_w, int32_t filter_h,
                             int32_t filter_w);

#endif /* TFM_KERNELS_PADDING_H */
