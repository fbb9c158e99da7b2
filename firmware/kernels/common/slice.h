/* SLICE: inputs (data, begin, size); size -1 means "to the end". */
#ifndef TFM_KERNELS_SLICE_H
#define TFM_KERNELS_SLICE_H

#include "tfm/kernel.h"

/* The op's prepare: checks the node (inputs, outputs, types, options) and
 * computes what eval needs (node data, scratch requests). */
tfm_status tfm_slice_prepare(tfm_context *ctx, tfm_node *node);

/* The reference eval (needs tfm_slice_prepare); an override calls it for the
 * cases it does not handle itself. */
tfm_status tfm_slice_eval_reference(tfm_context *ctx, tfm_node *node);

#endif /* TFM_KERNELS_SLICE_H */
