/* PAD: pads with 0 (float/int32) or the output zero point (int8/int16). */
#ifndef TFM_KERNELS_PAD_H
#define TFM_KERNELS_PAD_H

#include "tfm/kernel.h"

/* The op's prepare: checks the node (inputs, outputs, types, options) and
 * computes what eval needs (node data, scratch requests). */
tfm_status tfm_pad_prepare(tfm_context *ctx, tfm_node *node);

/* The reference eval (needs tfm_pad_prepare); an override calls it for the
 * cases it does not handle itself. */
tfm_status tfm_pad_eval_reference(tfm_context *ctx, tfm_node *node);

#endif /* TFM_KERNELS_PAD_H */
