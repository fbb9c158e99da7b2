/* BATCH_TO_SPACE_ND: the op's prepare and reference eval, defined in
 * common/batch_to_space_nd_common.c; a kernel set's override of reference/batch_to_space_nd.c
 * includes this header, reuses prepare and replaces eval. */
#ifndef TFM_KERNELS_BATCH_TO_SPACE_ND_H
#define TFM_KERNELS_BATCH_TO_SPACE_ND_H

#include "tfm/kernel.h"

tfm_status tfm_batch_to_space_nd_prepare(tfm_context *ctx, tfm_node *node);
tfm_status tfm_batch_to_space_nd_eval_reference(tfm_context *ctx, tfm_node *node);

#endif /* TFM_KERNELS_BATCH_TO_SPACE_ND_H */
