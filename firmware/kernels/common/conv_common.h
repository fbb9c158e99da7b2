/* Shared prepare for CONV_2D, DEPTHWISE_CONV_2D and TRANSPOSE_CONV (TFLM's
 * conv_common split): option parsing, type checks, quantization parameters.
 * The reference eval lives in kernels/reference/<op>.c; a vendor kernel set
 * may replace that file and reuse this prepare.
 *
 * Supported type combinations (input / filter / bias / output):
 *   FLOAT32 / FLOAT32 / FLOAT32 / FLOAT32
 *   INT8    / INT8 (per-tensor or per-channel, zero point 0) / INT32 / INT8
 *   INT16   / INT8 (per-tensor or per-channel, zero point 0) / INT64 / INT16
 *           (16x8: input and output zero points must be 0)
 * The bias is optional everywhere.
 *
 * Quantized rescale: for each output channel c the effective scale
 * input_scale * filter_scale[c] / output_scale is computed in double from the
 * float scales and turned into a Q31 multiplier + shift, exactly as TFLite's
 * PopulateConvolutionQuantizationParams. */
#ifndef TFM_KERNELS_CONV_COMMON_H
#define TFM_KERNELS_CONV_COMMON_H

#include "common/padding.h"
#include "tfm/kernel.h"

/* Keeps a hot inner loop in its own small function: inlined into a deep loop
 * nest, GCC spills the loop's registers on every iteration. */
#if defined(__GNUC__)
#define TFM_NOINLINE __attribute__((noinline))
#else
#define TFM_NOINLINE
#endif

/* Static shapes and parameters of one conv-like node, computed once in
 * prepare and kept in node->data (arena tail). NHWC everywhere. */
typedef struct tfm_conv_data {
  int32_t batches;
  int32_t in_h, in_w, in_d;
  int32_t filter_h, filter_w, filter_d; /* filter_d: input channels per group */
  int32_t out_h, out_w, out_d;
  int32_t stride_h, stride_w;
  int32_t dilation_h, dilation_w;
  int32_t depth_multiplier;             /* DEPTHWISE_CONV_2D only */
  int32_t groups;                       /* CONV_2D: in_d / filter_d */
  tfm_padding padding;
  int32_t input_offset;                 /* -input zero point */
  int32_t output_offset;                /* output zero point */
  int32_t act_min, act_max;             /* quantized activation range */
  float act_min_f, act_max_f;           /* float activation range */
  int32_t *multiplier;                  /* per output channel, quantized only */
  int8_t *shift;                        /* in [-31, 30]: int8 saves 3 B per channel */
  int scratch_index;                    /* TRANSPOSE_CONV accumulators, -1 = none */
  const void *kernel_data;              /* a kernel set's own prepared data (opt: float) */
} tfm_conv_data;

/* Allocates zeroed tfm_conv_data in the arena tail and stores it in node->data. */
tfm_status tfm_conv_alloc(tfm_context *ctx, tfm_node *node, tfm_conv_data **out);

/* Checks the node has 2-3 inputs (input, filter, optional bias) and one
 * output, all 4-D, and returns them (*bias NULL when absent). */
tfm_status tfm_conv_io(tfm_context *ctx, const tfm_node *node, const tfm_tensor **in,
                       const tfm_tensor **filter, const tfm_tensor **bias,
                       const tfm_tensor **out);

/* Vtable offsets of the spatial fields in a conv-like options table
 * (Conv2DOptions and DepthwiseConv2DOptions place them differently). */
typedef struct tfm_conv_option_offsets {
  int padding, stride_w, stride_h, dilation_w, dilation_h;
} tfm_conv_option_offsets;

/* Reads padding, strides and dilations from the node's options, checks
 * them, computes the padding and output size from d's input and filter
 * geometry (batches, in_h, in_w, filter_h, filter_w, out_d must be set), and
 * checks `out` is batches x out_h x out_w x out_d and that every index fits
 * int32 (`index_depth`: the larger channel count indexed). Fills d->stride_*,
 * dilation_*, padding, out_h and out_w. */
tfm_status tfm_conv_geometry(tfm_context *ctx, const tfm_node *node,
                             const tfm_conv_option_offsets *opts, const tfm_tensor *out,
                             int32_t index_depth, tfm_conv_data *d);

/* Checks the type combination above (bias may be NULL) and that `bias`, when
 * present, has `channels` elements. */
tfm_status tfm_conv_check_types(tfm_context *ctx, const tfm_tensor *input,
                                const tfm_tensor *filter, const tfm_tensor *bias,
                                const tfm_tensor *output, int32_t channels);

/* Fills input/output offsets, the activation range (float or quantized) and,
 * for quantized types, the per-channel multipliers/shifts for `channels`
 * output channels. The filter must have 1 or `channels` scales, quantized
 * along `quant_dim`. */
tfm_status tfm_conv_quant_params(tfm_context *ctx, const tfm_tensor *input,
                                 const tfm_tensor *filter, const tfm_tensor *output,
                                 int activation, int32_t channels, int32_t quant_dim,
                                 tfm_conv_data *data);

/* INT64 bias element c; 0 when bias is NULL. */
static inline int64_t tfm_conv_bias_i64(const tfm_tensor *bias, int32_t c) {
  return bias == NULL ? 0 : ((const int64_t *)bias->data)[c];
}

/* Range [*start, *end) of filter taps k with 0 <= origin + k*dilation < size. */
static inline void tfm_conv_tap_range(int32_t origin, int32_t dilation, int32_t size,
                                      int32_t taps, int32_t *start, int32_t *end) {
  /* No overflow: prepare checked tfm_padding_indices_fit. */
  int32_t s = origin < 0 ? (-origin + dilation - 1) / dilation : 0;
  int32_t room = size - origin; /* taps must satisfy k*dilation < room */
  int32_t e = room <= 0 ? 0 : (room + dilation - 1) / dilation;
  *start = s;
  *end = e < taps ? e : taps;
}

#endif /* TFM_KERNELS_CONV_COMMON_H */
