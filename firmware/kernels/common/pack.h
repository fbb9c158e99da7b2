/* PACK: N tensors of equal shape stacked along a new axis. */
#ifndef TFM_KERNELS_PACK_H
#define TFM_KERNELS_PACK_H

#include "tfm/kernel.h"

/* The op's prepare: checks the node (inputs, outputs, types, options) and
 * computes what eval needs (node data, scratch requests). */
tfm_status tfm_pack_prepare(tfm_context *ctx, tfm_node *node);

/* The reference eval (needs tfm_pack_prepare); an override calls it for the
 * cases it does not handle itself. */
tfm_status tfm_pack_eval_reference(tfm_context *ctx, tfm_node *node);

#endif /* TFM_KERNELS_PACK_H */
