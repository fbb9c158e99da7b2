/* RELU6: int8, int16, float32. */
#ifndef TFM_KERNELS_RELU6_H
#define TFM_KERNELS_RELU6_H

#include "common/activation_common.h"
#include "tfm/kernel.h"

/* The op's prepare: checks the node (inputs, outputs, types, options) and
 * computes what eval needs (node data, scratch requests). */
tfm_status tfm_relu6_prepare(tfm_context *ctx, tfm_node *node);

/* The op's eval is the family's tfm_relux_eval. */
#define tfm_relu6_eval_reference tfm_relux_eval

#endif /* TFM_KERNELS_RELU6_H */
