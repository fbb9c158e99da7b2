/* READ_VARIABLE: copies a resource variable into output 0. */
#ifndef TFM_KERNELS_READ_VARIABLE_H
#define TFM_KERNELS_READ_VARIABLE_H

#include "tfm/kernel.h"

/* The op's prepare: checks the node (inputs, outputs, types, options) and
 * computes what eval needs (node data, scratch requests). */
tfm_status tfm_read_variable_prepare(tfm_context *ctx, tfm_node *node);

/* The reference eval (needs tfm_read_variable_prepare); an override calls it for the
 * cases it does not handle itself. */
tfm_status tfm_read_variable_eval_reference(tfm_context *ctx, tfm_node *node);

#endif /* TFM_KERNELS_READ_VARIABLE_H */
