/* CEIL: the op's prepare and reference eval, defined in
 * common/ceil_common.c; a kernel set's override of reference/ceil.c
 * includes this header, reuses prepare and replaces eval. */
#ifndef TFM_KERNELS_CEIL_H
#define TFM_KERNELS_CEIL_H

#include "tfm/kernel.h"

tfm_status tfm_ceil_prepare(tfm_context *ctx, tfm_node *node);
tfm_status tfm_ceil_eval_reference(tfm_context *ctx, tfm_node *node);

#endif /* TFM_KERNELS_CEIL_H */
