/* GREATER: the op's prepare and reference eval, defined in
 * common/greater_common.c; a kernel set's override of reference/greater.c
 * includes this header, reuses prepare and replaces eval. */
#ifndef TFM_KERNELS_GREATER_H
#define TFM_KERNELS_GREATER_H

#include "tfm/kernel.h"

tfm_status tfm_greater_prepare(tfm_context *ctx, tfm_node *node);
tfm_status tfm_greater_eval_reference(tfm_context *ctx, tfm_node *node);

#endif /* TFM_KERNELS_GREATER_H */
