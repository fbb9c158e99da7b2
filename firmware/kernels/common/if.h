/* IF: input 0 is a boolean condition; the other inputs are copied into the
 * then- or else-subgraph's inputs, it runs, and its outputs are copied to
 * the op's outputs (TFLite's if.cc, static shapes). */
#ifndef TFM_KERNELS_IF_H
#define TFM_KERNELS_IF_H

#include "tfm/kernel.h"

/* The op's prepare: checks the node (inputs, outputs, types, options) and
 * computes what eval needs (node data, scratch requests). */
tfm_status tfm_if_prepare(tfm_context *ctx, tfm_node *node);

/* The reference eval (needs tfm_if_prepare); an override calls it for the
 * cases it does not handle itself. */
tfm_status tfm_if_eval_reference(tfm_context *ctx, tfm_node *node);

#endif /* TFM_KERNELS_IF_H */
