/* REDUCE_MIN: the op's prepare and reference eval, defined in
 * common/reduce_min_common.c; a kernel set's override of reference/reduce_min.c
 * includes this header, reuses prepare and replaces eval. */
#ifndef TFM_KERNELS_REDUCE_MIN_H
#define TFM_KERNELS_REDUCE_MIN_H

#include "tfm/kernel.h"

tfm_status tfm_reduce_min_prepare(tfm_context *ctx, tfm_node *node);
tfm_status tfm_reduce_min_eval_reference(tfm_context *ctx, tfm_node *node);

#endif /* TFM_KERNELS_REDUCE_MIN_H */
