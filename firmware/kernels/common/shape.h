/* SHAPE: the input's dims as an INT32 or INT64 vector. */
#ifndef TFM_KERNELS_SHAPE_H
#define TFM_KERNELS_SHAPE_H

#include "tfm/kernel.h"

/* The op's prepare: checks the node (inputs, outputs, types, options) and
 * computes what eval needs (node data, scratch requests). */
tfm_status tfm_shape_prepare(tfm_context *ctx, tfm_node *node);

/* The reference eval (needs tfm_shape_prepare); an override calls it for the
 * cases it does not handle itself. */
tfm_status tfm_shape_eval_reference(tfm_context *ctx, tfm_node *node);

#endif /* TFM_KERNELS_SHAPE_H */
