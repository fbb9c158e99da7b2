/* CONV_2D: inputs (input NHWC, filter OHWI, optional bias) -> output NHWC.
 * Reference eval, arithmetic as TFLite's reference_ops::Conv (float) and
 * reference_integer_ops::ConvPerChannel (int8, 16x8), grouped conv included.
 * Out-of-image taps are skipped (zero padding) by clamping the tap ranges
 * once per output pixel instead of testing every tap. Integer accumulators
 * start from the bias (same sum, TFLite adds it last); float adds it last. */
#ifndef TFM_KERNELS_CONV_2D_H
#define TFM_KERNELS_CONV_2D_H

#include "common/conv_common.h"
#include "tfm/kernel.h"

/* Node data: the conv-like data of common/conv_common.h. */
typedef tfm_conv_data TfmConv2DData;

/* Checks the node (input NHWC, filter OHWI, optional bias; groups from the
 * depths), the types and the options, and fills tfm_conv_data: geometry,
 * per-channel multipliers and activation range (scratch_index stays -1: an
 * override that needs scratch requests it after this prepare). */
tfm_status tfm_conv_2d_prepare(tfm_context *ctx, tfm_node *node);

/* Reference eval for float32, int8 and 16x8; needs the node->data of
 * tfm_conv_2d_prepare. An override calls it for the cases it does not handle. */
tfm_status tfm_conv_2d_eval_reference(tfm_context *ctx, tfm_node *node);

#endif /* TFM_KERNELS_CONV_2D_H */
