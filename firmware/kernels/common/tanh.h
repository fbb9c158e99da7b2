/* TANH: float32, int8 (256-entry table built in prepare from the float
 * function, as TFLite's LUTPopulate), int16 (see common/activation_common). */
#ifndef TFM_KERNELS_TANH_H
#define TFM_KERNELS_TANH_H

#include "tfm/kernel.h"

/* The op's prepare: checks the node (inputs, outputs, types, options) and
 * computes what eval needs (node data, scratch requests). */
tfm_status tfm_tanh_prepare(tfm_context *ctx, tfm_node *node);

/* The reference eval (needs tfm_tanh_prepare); an override calls it for the
 * cases it does not handle itself. */
tfm_status tfm_tanh_eval_reference(tfm_context *ctx, tfm_node *node);

#endif /* TFM_KERNELS_TANH_H */
