/* BROADCAST_ARGS: the op's prepare and reference eval, defined in
 * common/broadcast_args_common.c; a kernel set's override of reference/broadcast_args.c
 * includes this header, reuses prepare and replaces eval. */
#ifndef TFM_KERNELS_BROADCAST_ARGS_H
#define TFM_KERNELS_BROADCAST_ARGS_H

#include "tfm/kernel.h"

tfm_status tfm_broadcast_args_prepare(tfm_context *ctx, tfm_node *node);
tfm_status tfm_broadcast_args_eval_reference(tfm_context *ctx, tfm_node *node);

#endif /* TFM_KERNELS_BROADCAST_ARGS_H */
