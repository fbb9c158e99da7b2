/* TRANSPOSE: output dim i is input dim perm[i] (rank <= 6). */
#ifndef TFM_KERNELS_TRANSPOSE_H
#define TFM_KERNELS_TRANSPOSE_H

#include "tfm/kernel.h"

/* The op's prepare: checks the node (inputs, outputs, types, options) and
 * computes what eval needs (node data, scratch requests). */
tfm_status tfm_transpose_prepare(tfm_context *ctx, tfm_node *node);

/* The reference eval (needs tfm_transpose_prepare); an override calls it for the
 * cases it does not handle itself. */
tfm_status tfm_transpose_eval_reference(tfm_context *ctx, tfm_node *node);

#endif /* TFM_KERNELS_TRANSPOSE_H */
