/* ARG_MAX: index of the first largest value along `axis` (input 1, INT32 or
 * INT64 scalar); output INT32 or INT64. */
#ifndef TFM_KERNELS_ARG_MAX_H
#define TFM_KERNELS_ARG_MAX_H

#include "tfm/kernel.h"

/* The op's prepare: checks the node (inputs, outputs, types, options) and
 * computes what eval needs (node data, scratch requests). */
tfm_status tfm_arg_max_prepare(tfm_context *ctx, tfm_node *node);

/* The reference eval (needs tfm_arg_max_prepare); an override calls it for the
 * cases it does not handle itself. */
tfm_status tfm_arg_max_eval_reference(tfm_context *ctx, tfm_node *node);

#endif /* TFM_KERNELS_ARG_MAX_H */
