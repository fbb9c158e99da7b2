/* PADV2: pads with the value of the constant_values tensor (input 2),
 * or as PAD when it is absent. */
#ifndef TFM_KERNELS_PADV2_H
#define TFM_KERNELS_PADV2_H

#include "tfm/kernel.h"

/* The op's prepare: checks the node (inputs, outputs, types, options) and
 * computes what eval needs (node data, scratch requests). */
tfm_status tfm_padv2_prepare(tfm_context *ctx, tfm_node *node);

/* The reference eval (needs tfm_padv2_prepare); an override calls it for the
 * cases it does not handle itself. */
tfm_status tfm_padv2_eval_reference(tfm_context *ctx, tfm_node *node);

#endif /* TFM_KERNELS_PADV2_H */
