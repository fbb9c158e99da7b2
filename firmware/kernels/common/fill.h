/* FILL: the op's prepare and reference eval, defined in
 * common/fill_common.c; a kernel set's override of reference/fill.c
 * includes this header, reuses prepare and replaces eval. */
#ifndef TFM_KERNELS_FILL_H
#define TFM_KERNELS_FILL_H

#include "tfm/kernel.h"

tfm_status tfm_fill_prepare(tfm_context *ctx, tfm_node *node);
tfm_status tfm_fill_eval_reference(tfm_context *ctx, tfm_node *node);

#endif /* TFM_KERNELS_FILL_H */
