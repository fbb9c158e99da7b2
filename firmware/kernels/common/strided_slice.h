/* STRIDED_SLICE with begin/end/ellipsis/new_axis/shrink masks, negative
 * strides and the `offset` attribute (end relative to begin).
 *
 * The sparse spec (one entry per begin element) is expanded to one entry per
 * input dim as TensorFlow does: the ellipsis covers the dims no other entry
 * names, new axes consume no input dim (they only add size-1 output dims, so
 * the data layout ignores them), missing trailing dims are taken whole.
 * Start/stop follow TFLite's StartForAxis/StopForAxis clamping. */
#ifndef TFM_KERNELS_STRIDED_SLICE_H
#define TFM_KERNELS_STRIDED_SLICE_H

#include "tfm/kernel.h"

/* The op's prepare: checks the node (inputs, outputs, types, options) and
 * computes what eval needs (node data, scratch requests). */
tfm_status tfm_strided_slice_prepare(tfm_context *ctx, tfm_node *node);

/* The reference eval (needs tfm_strided_slice_prepare); an override calls it for the
 * cases it does not handle itself. */
tfm_status tfm_strided_slice_eval_reference(tfm_context *ctx, tfm_node *node);

#endif /* TFM_KERNELS_STRIDED_SLICE_H */
