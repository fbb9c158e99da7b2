/* QUANTIZE: float32 -> int8/uint8/int16 (per-tensor or per-channel), and
 * requantize between int8/uint8/int16 (-> int8/uint8/int16/int32) with the
 * multiplier s_in / s_out, as TFLite. */
#ifndef TFM_KERNELS_QUANTIZE_H
#define TFM_KERNELS_QUANTIZE_H

#include "common/activation_common.h"
#include "internal/quant.h"
#include "tfm/kernel.h"

/* Node data (node->data), set by tfm_quantize_prepare. */
typedef struct TfmQuantizeData {
  int32_t multiplier;   /* requantize */
  int shift;
  tfm_channel_quant cq; /* float input */
} TfmQuantizeData;

/* The op's prepare: checks the node (inputs, outputs, types, options) and
 * computes what eval needs (node data, scratch requests). */
tfm_status tfm_quantize_prepare(tfm_context *ctx, tfm_node *node);

/* The reference eval (needs tfm_quantize_prepare); an override calls it for the
 * cases it does not handle itself. */
tfm_status tfm_quantize_eval_reference(tfm_context *ctx, tfm_node *node);

#endif /* TFM_KERNELS_QUANTIZE_H */
