/* FULLY_CONNECTED: inputs (input [..., depth], weights [units, depth],
 * optional bias [units]) -> output [batches, units] (or the input's leading
 * dims with keep_num_dims). Reference eval as TFLite's
 * reference_ops::FullyConnected (float), reference_integer_ops::FullyConnected
 * (per-tensor int8/16x8, weights zero point honoured) and
 * FullyConnectedPerChannel (per-channel int8/16x8). 16x8 accumulates in int64
 * (int64 bias) but rescales the low 32 bits, as TFLite does.
 *
 * Per-tensor multiplier: (double)(input_scale * weights_scale) / output_scale,
 * the product taken in float as TFLite's GetQuantizedConvolutionMultipler;
 * per-channel multipliers as conv (double product). */
#ifndef TFM_KERNELS_FULLY_CONNECTED_H
#define TFM_KERNELS_FULLY_CONNECTED_H

#include "tfm/kernel.h"

/* Shapes and quantization parameters of one FULLY_CONNECTED node, computed
 * once by tfm_fully_connected_prepare and kept in node->data (arena tail). */
typedef struct TfmFullyConnectedData {
  int32_t batches;
  int32_t depth;              /* accumulation depth */
  int32_t units;
  int32_t input_offset;       /* -input zero point */
  int32_t weights_offset;     /* -weights zero point (per-tensor only) */
  int32_t output_offset;
  int32_t act_min, act_max;   /* quantized activation range */
  float act_min_f, act_max_f; /* float activation range */
  int32_t channels;           /* number of multipliers: 1 (per-tensor) or units */
  int32_t *multiplier;        /* per channel; per-tensor: points at multiplier0 */
  int32_t *shift;
  int32_t multiplier0;        /* per-tensor storage (no separate allocations) */
  int32_t shift0;
  const void *kernel_data;    /* a kernel set's own prepared data (opt: folded bias) */
} TfmFullyConnectedData;

/* Checks the node (2-3 inputs: input, weights [units, depth], optional bias;
 * one output), the type combination and the options, then allocates and fills
 * TfmFullyConnectedData (per-channel multipliers in the arena tail). An
 * override reuses it and reads node->data in its own eval. */
tfm_status tfm_fully_connected_prepare(tfm_context *ctx, tfm_node *node);

/* As tfm_fully_connected_prepare with the multipliers and shifts (1 or units
 * of each, by the weights' scales) given, e.g. from an offline prep record
 * in flash: they are used in place (no arena, no computation). NULL: computed.
 * Honoured only when built with -DTFM_OFFLINE_PREP=1 (images with a table). */
tfm_status tfm_fully_connected_prepare_with(tfm_context *ctx, tfm_node *node,
                                            const int32_t *multiplier, const int32_t *shift);

/* Reference eval for every supported type (float32, int8, 16x8); needs the
 * node->data of tfm_fully_connected_prepare. An override calls it for the
 * cases it does not handle itself. */
tfm_status tfm_fully_connected_eval_reference(tfm_context *ctx, tfm_node *node);

#endif /* TFM_KERNELS_FULLY_CONNECTED_H */
