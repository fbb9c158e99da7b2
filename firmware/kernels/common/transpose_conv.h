/* TRANSPOSE_CONV: inputs (output_shape INT32[4], weights OHWI, input NHWC,
 * optional bias) -> output NHWC.
 * Reference eval as TFLite's reference_ops::TransposeConv (float) and
 * reference_integer_ops::TransposeConv (int8 per-channel, 16x8): every input
 * pixel is scattered into the outputs it influences. Float accumulates in the
 * output tensor; quantized types accumulate in an int32 (int8) or int64
 * (16x8) scratch buffer of output size, then rescale. */
#ifndef TFM_KERNELS_TRANSPOSE_CONV_H
#define TFM_KERNELS_TRANSPOSE_CONV_H

#include "common/conv_common.h"
#include "tfm/kernel.h"

/* Node data: the family's tfm_conv_data. */
typedef tfm_conv_data TfmTransposeConvData;

/* The op's prepare: checks the node (inputs, outputs, types, options) and
 * computes what eval needs (node data, scratch requests). */
tfm_status tfm_transpose_conv_prepare(tfm_context *ctx, tfm_node *node);

/* The reference eval (needs tfm_transpose_conv_prepare); an override calls it for the
 * cases it does not handle itself. */
tfm_status tfm_transpose_conv_eval_reference(tfm_context *ctx, tfm_node *node);

#endif /* TFM_KERNELS_TRANSPOSE_CONV_H */
