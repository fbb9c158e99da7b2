/* DEQUANTIZE: int8/uint8/int16 -> float32, per-tensor (scale applied in
 * double, as TFLite) or per-channel (in float). */
#ifndef TFM_KERNELS_DEQUANTIZE_H
#define TFM_KERNELS_DEQUANTIZE_H

#include "tfm/kernel.h"

/* The op's prepare: checks the node (inputs, outputs, types, options) and
 * computes what eval needs (node data, scratch requests). */
tfm_status tfm_dequantize_prepare(tfm_context *ctx, tfm_node *node);

/* The reference eval (needs tfm_dequantize_prepare); an override calls it for the
 * cases it does not handle itself. */
tfm_status tfm_dequantize_eval_reference(tfm_context *ctx, tfm_node *node);

#endif /* TFM_KERNELS_DEQUANTIZE_H */
