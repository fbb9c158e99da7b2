/* REDUCE_PROD: the op's prepare and reference eval, defined in
 * common/reduce_prod_common.c; a kernel set's override of reference/reduce_prod.c
 * includes this header, reuses prepare and replaces eval. */
#ifndef TFM_KERNELS_REDUCE_PROD_H
#define TFM_KERNELS_REDUCE_PROD_H

#include "tfm/kernel.h"

tfm_status tfm_reduce_prod_prepare(tfm_context *ctx, tfm_node *node);
tfm_status tfm_reduce_prod_eval_reference(tfm_context *ctx, tfm_node *node);

#endif /* TFM_KERNELS_REDUCE_PROD_H */
