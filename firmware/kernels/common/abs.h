/* ABS: the op's prepare and reference eval, defined in
 * common/abs_common.c; a kernel set's override of reference/abs.c
 * includes this header, reuses prepare and replaces eval. */
#ifndef TFM_KERNELS_ABS_H
#define TFM_KERNELS_ABS_H

#include "tfm/kernel.h"

tfm_status tfm_abs_prepare(tfm_context *ctx, tfm_node *node);
tfm_status tfm_abs_eval_reference(tfm_context *ctx, tfm_node *node);

#endif /* TFM_KERNELS_ABS_H */
