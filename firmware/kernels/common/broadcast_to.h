/* BROADCAST_TO: the op's prepare and reference eval, defined in
 * common/broadcast_to_common.c; a kernel set's override of reference/broadcast_to.c
 * includes this header, reuses prepare and replaces eval. */
#ifndef TFM_KERNELS_BROADCAST_TO_H
#define TFM_KERNELS_BROADCAST_TO_H

#include "tfm/kernel.h"

tfm_status tfm_broadcast_to_prepare(tfm_context *ctx, tfm_node *node);
tfm_status tfm_broadcast_to_eval_reference(tfm_context *ctx, tfm_node *node);

#endif /* TFM_KERNELS_BROADCAST_TO_H */
