/* MUL: int8, int16, int32, float32 with broadcasting and fused activation.
 * Quantized: out = zp_out + (a - zp_a) * (b - zp_b) * (s_a * s_b / s_out). */
#ifndef TFM_KERNELS_MUL_H
#define TFM_KERNELS_MUL_H

#include "common/binary_common.h"
#include "tfm/kernel.h"

/* Node data: the family's tfm_binary_data. */
typedef tfm_binary_data TfmMulData;

/* The op's prepare: checks the node (inputs, outputs, types, options) and
 * computes what eval needs (node data, scratch requests). */
tfm_status tfm_mul_prepare(tfm_context *ctx, tfm_node *node);

/* The reference eval (needs tfm_mul_prepare); an override calls it for the
 * cases it does not handle itself. */
tfm_status tfm_mul_eval_reference(tfm_context *ctx, tfm_node *node);

#endif /* TFM_KERNELS_MUL_H */
