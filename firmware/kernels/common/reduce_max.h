/* REDUCE_MAX: the op's prepare and reference eval, defined in
 * common/reduce_max_common.c; a kernel set's override of reference/reduce_max.c
 * includes this header, reuses prepare and replaces eval. */
#ifndef TFM_KERNELS_REDUCE_MAX_H
#define TFM_KERNELS_REDUCE_MAX_H

#include "tfm/kernel.h"

tfm_status tfm_reduce_max_prepare(tfm_context *ctx, tfm_node *node);
tfm_status tfm_reduce_max_eval_reference(tfm_context *ctx, tfm_node *node);

#endif /* TFM_KERNELS_REDUCE_MAX_H */
