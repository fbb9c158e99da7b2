/* PRELU: int8, float32; alpha broadcasts against the input.
 * y = x >= 0 ? x : alpha * x, quantized with two multipliers
 * (s_in / s_out and s_in * s_alpha / s_out) as TFLite. */
#ifndef TFM_KERNELS_PRELU_H
#define TFM_KERNELS_PRELU_H

#include "common/binary_common.h"
#include "internal/quant.h"
#include "tfm/kernel.h"

/* Node data (node->data), set by tfm_prelu_prepare. */
typedef struct TfmPreluData {
  tfm_bcast bc;
  int32_t mult1;
  int32_t mult2;
  int shift1;
  int shift2;
  int32_t in_offset;
  int32_t alpha_offset;
  int32_t out_offset;
} TfmPreluData;

/* The op's prepare: checks the node (inputs, outputs, types, options) and
 * computes what eval needs (node data, scratch requests). */
tfm_status tfm_prelu_prepare(tfm_context *ctx, tfm_node *node);

/* The reference eval (needs tfm_prelu_prepare); an override calls it for the
 * cases it does not handle itself. */
tfm_status tfm_prelu_eval_reference(tfm_context *ctx, tfm_node *node);

#endif /* TFM_KERNELS_PRELU_H */
