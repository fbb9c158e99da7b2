/* LOGICAL_OR: the op's prepare and reference eval, defined in
 * common/logical_or_common.c; a kernel set's override of reference/logical_or.c
 * includes this header, reuses prepare and replaces eval. */
#ifndef TFM_KERNELS_LOGICAL_OR_H
#define TFM_KERNELS_LOGICAL_OR_H

#include "tfm/kernel.h"

tfm_status tfm_logical_or_prepare(tfm_context *ctx, tfm_node *node);
tfm_status tfm_logical_or_eval_reference(tfm_context *ctx, tfm_node *node);

#endif /* TFM_KERNELS_LOGICAL_OR_H */
