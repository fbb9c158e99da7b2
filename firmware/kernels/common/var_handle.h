/* VAR_HANDLE: outputs the id of the resource variable named by its
 * container + shared_name (created on first use). The id is written in
 * prepare too, so ASSIGN/READ_VARIABLE can find the resource when prepared. */
#ifndef TFM_KERNELS_VAR_HANDLE_H
#define TFM_KERNELS_VAR_HANDLE_H

#include "tfm/kernel.h"

/* The op's prepare: checks the node (inputs, outputs, types, options) and
 * computes what eval needs (node data, scratch requests). */
tfm_status tfm_var_handle_prepare(tfm_context *ctx, tfm_node *node);

/* The reference eval (needs tfm_var_handle_prepare); an override calls it for the
 * cases it does not handle itself. */
tfm_status tfm_var_handle_eval_reference(tfm_context *ctx, tfm_node *node);

#endif /* TFM_KERNELS_VAR_HANDLE_H */
