/* DIV: float32 and int32 (truncating) with broadcasting and fused activation. */
#ifndef TFM_KERNELS_DIV_H
#define TFM_KERNELS_DIV_H

#include "common/binary_common.h"
#include "tfm/kernel.h"

/* Node data: the family's tfm_binary_data. */
typedef tfm_binary_data TfmDivData;

/* The op's prepare: checks the node (inputs, outputs, types, options) and
 * computes what eval needs (node data, scratch requests). */
tfm_status tfm_div_prepare(tfm_context *ctx, tfm_node *node);

/* The reference eval (needs tfm_div_prepare); an override calls it for the
 * cases it does not handle itself. */
tfm_status tfm_div_eval_reference(tfm_context *ctx, tfm_node *node);

#endif /* TFM_KERNELS_DIV_H */
