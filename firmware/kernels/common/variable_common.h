/* Shared by READ_VARIABLE and ASSIGN_VARIABLE: the resource variable named
 * by input 0 (the RESOURCE tensor a VAR_HANDLE wrote its id into). */
#ifndef TFM_KERNELS_VARIABLE_COMMON_H
#define TFM_KERNELS_VARIABLE_COMMON_H

#include "tfm/interpreter.h"
#include "tfm/kernel.h"

/* The node's resource variable, or NULL when input 0 holds none. */
tfm_resource *tfm_variable_of(tfm_context *ctx, const tfm_node *node);

/* Prepare: input 0 must hold a resource variable, and `t` (the tensor the
 * variable is copied from or to; `role` names it when missing) must exist.
 * Gives the variable a persistent buffer of t's size (fails if it already
 * has one of another size). */
tfm_status tfm_variable_prepare(tfm_context *ctx, const tfm_node *node, const tfm_tensor *t,
                                const char *role);

#endif /* TFM_KERNELS_VARIABLE_COMMON_H */
