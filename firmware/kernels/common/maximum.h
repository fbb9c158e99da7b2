/* MAXIMUM: int8, int16, int32, float32 with broadcasting. */
#ifndef TFM_KERNELS_MAXIMUM_H
#define TFM_KERNELS_MAXIMUM_H

#include "tfm/kernel.h"

/* The op's prepare: checks the node (inputs, outputs, types, options) and
 * computes what eval needs (node data, scratch requests). */
tfm_status tfm_maximum_prepare(tfm_context *ctx, tfm_node *node);

/* The reference eval (needs tfm_maximum_prepare); an override calls it for the
 * cases it does not handle itself. */
tfm_status tfm_maximum_eval_reference(tfm_context *ctx, tfm_node *node);

#endif /* TFM_KERNELS_MAXIMUM_H */
