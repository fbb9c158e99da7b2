/* SUM over the axes in input 1 (arithmetic in common/reduce_common.h). */
#ifndef TFM_KERNELS_SUM_H
#define TFM_KERNELS_SUM_H

#include "tfm/kernel.h"

/* The op's prepare: checks the node (inputs, outputs, types, options) and
 * computes what eval needs (node data, scratch requests). */
tfm_status tfm_sum_prepare(tfm_context *ctx, tfm_node *node);

/* The reference eval (needs tfm_sum_prepare); an override calls it for the
 * cases it does not handle itself. */
tfm_status tfm_sum_eval_reference(tfm_context *ctx, tfm_node *node);

#endif /* TFM_KERNELS_SUM_H */
