/* BATCH_MATMUL: the op's prepare and reference eval, defined in
 * common/batch_matmul_common.c; a kernel set's override of reference/batch_matmul.c
 * includes this header, reuses prepare and replaces eval. */
#ifndef TFM_KERNELS_BATCH_MATMUL_H
#define TFM_KERNELS_BATCH_MATMUL_H

#include "tfm/kernel.h"

tfm_status tfm_batch_matmul_prepare(tfm_context *ctx, tfm_node *node);
tfm_status tfm_batch_matmul_eval_reference(tfm_context *ctx, tfm_node *node);

#endif /* TFM_KERNELS_BATCH_MATMUL_H */
