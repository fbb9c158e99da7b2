/* WHILE: loop variables are copied into the cond subgraph; while its BOOL
 * output is true they go through the body (cond inputs -> body inputs, body
 * outputs -> cond inputs); at the end the cond inputs are the op's outputs.
 * Same copies as TFLite's while.cc for static shapes. */
#ifndef TFM_KERNELS_WHILE_H
#define TFM_KERNELS_WHILE_H

#include "tfm/kernel.h"

/* The op's prepare: checks the node (inputs, outputs, types, options) and
 * computes what eval needs (node data, scratch requests). */
tfm_status tfm_while_prepare(tfm_context *ctx, tfm_node *node);

/* The reference eval (needs tfm_while_prepare); an override calls it for the
 * cases it does not handle itself. */
tfm_status tfm_while_eval_reference(tfm_context *ctx, tfm_node *node);

#endif /* TFM_KERNELS_WHILE_H */
