/* SPLIT_V: inputs (data, size_splits, axis scalar) -> outputs of the
 * (static) sizes along the axis. */
#ifndef TFM_KERNELS_SPLIT_V_H
#define TFM_KERNELS_SPLIT_V_H

#include "tfm/kernel.h"

/* The op's prepare: checks the node (inputs, outputs, types, options) and
 * computes what eval needs (node data, scratch requests). */
tfm_status tfm_split_v_prepare(tfm_context *ctx, tfm_node *node);

/* The reference eval (needs tfm_split_v_prepare); an override calls it for the
 * cases it does not handle itself. */
tfm_status tfm_split_v_eval_reference(tfm_context *ctx, tfm_node *node);

#endif /* TFM_KERNELS_SPLIT_V_H */
