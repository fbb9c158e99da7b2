/* UNPACK: one tensor split along an axis into `num` tensors of rank - 1. */
#ifndef TFM_KERNELS_UNPACK_H
#define TFM_KERNELS_UNPACK_H

#include "tfm/kernel.h"

/* The op's prepare: checks the node (inputs, outputs, types, options) and
 * computes what eval needs (node data, scratch requests). */
tfm_status tfm_unpack_prepare(tfm_context *ctx, tfm_node *node);

/* The reference eval (needs tfm_unpack_prepare); an override calls it for the
 * cases it does not handle itself. */
tfm_status tfm_unpack_eval_reference(tfm_context *ctx, tfm_node *node);

#endif /* TFM_KERNELS_UNPACK_H */
