/* ADD: int8, int16, int32, float32 with broadcasting and fused activation. */
#ifndef TFM_KERNELS_ADD_H
#define TFM_KERNELS_ADD_H

#include "tfm/kernel.h"

/* The op's prepare: checks the node (inputs, outputs, types, options) and
 * computes what eval needs (node data, scratch requests). */
tfm_status tfm_add_prepare(tfm_context *ctx, tfm_node *node);

/* The reference eval (needs tfm_add_prepare); an override calls it for the
 * cases it does not handle itself. */
tfm_status tfm_add_eval_reference(tfm_context *ctx, tfm_node *node);

#endif /* TFM_KERNELS_ADD_H */
