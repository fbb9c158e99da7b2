/* ASSIGN_VARIABLE: copies input 1 into the resource variable of input 0.
 * The variable's buffer is allocated persistently in prepare, sized by the
 * assigned tensor (as TFLM's MicroResourceVariables::Allocate). */
#ifndef TFM_KERNELS_ASSIGN_VARIABLE_H
#define TFM_KERNELS_ASSIGN_VARIABLE_H

#include "tfm/kernel.h"

/* The op's prepare: checks the node (inputs, outputs, types, options) and
 * computes what eval needs (node data, scratch requests). */
tfm_status tfm_assign_variable_prepare(tfm_context *ctx, tfm_node *node);

/* The reference eval (needs tfm_assign_variable_prepare); an override calls it for the
 * cases it does not handle itself. */
tfm_status tfm_assign_variable_eval_reference(tfm_context *ctx, tfm_node *node);

#endif /* TFM_KERNELS_ASSIGN_VARIABLE_H */
