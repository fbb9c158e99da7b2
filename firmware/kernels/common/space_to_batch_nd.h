/* SPACE_TO_BATCH_ND: the op's prepare and reference eval, defined in
 * common/space_to_batch_nd_common.c; a kernel set's override of reference/space_to_batch_nd.c
 * includes this header, reuses prepare and replaces eval. */
#ifndef TFM_KERNELS_SPACE_TO_BATCH_ND_H
#define TFM_KERNELS_SPACE_TO_BATCH_ND_H

#include "tfm/kernel.h"

tfm_status tfm_space_to_batch_nd_prepare(tfm_context *ctx, tfm_node *node);
tfm_status tfm_space_to_batch_nd_eval_reference(tfm_context *ctx, tfm_node *node);

#endif /* TFM_KERNELS_SPACE_TO_BATCH_ND_H */
