/* DEPTHWISE_CONV_2D: inputs (input NHWC, filter 1HW(C*M), optional bias)
 * -> output NHW(C*M). Output channel oc = ic * depth_multiplier + m.
 * Reference eval, arithmetic as TFLite's reference_ops::DepthwiseConv
 * (float) and reference_integer_ops::DepthwiseConvPerChannel (int8, 16x8),
 * with a scratch row of out_channels accumulators (int32, or int64 for 16x8).
 * As in TFLite, the depth multiplier is derived from the shapes. */
#ifndef TFM_KERNELS_DEPTHWISE_CONV_2D_H
#define TFM_KERNELS_DEPTHWISE_CONV_2D_H

#include "common/conv_common.h"
#include "tfm/kernel.h"

/* Node data: the conv-like data of common/conv_common.h. */
typedef tfm_conv_data TfmDepthwiseConv2DData;

/* Checks the node (input NHWC, filter 1HW(C*M), optional bias; the depth
 * multiplier derived from the shapes), the types and the options, fills
 * tfm_conv_data and requests the reference eval's accumulator row as scratch
 * (scratch_index). */
tfm_status tfm_depthwise_conv_2d_prepare(tfm_context *ctx, tfm_node *node);

/* Reference eval for float32, int8 and 16x8; needs the node->data of
 * tfm_depthwise_conv_2d_prepare. An override calls it for the cases it does not handle. */
tfm_status tfm_depthwise_conv_2d_eval_reference(tfm_context *ctx, tfm_node *node);

#endif /* TFM_KERNELS_DEPTHWISE_CONV_2D_H */
