/* SQRT: the op's prepare and reference eval, defined in
 * common/sqrt_common.c; a kernel set's override of reference/sqrt.c
 * includes this header, reuses prepare and replaces eval. */
#ifndef TFM_KERNELS_SQRT_H
#define TFM_KERNELS_SQRT_H

#include "tfm/kernel.h"

tfm_status tfm_sqrt_prepare(tfm_context *ctx, tfm_node *node);
tfm_status tfm_sqrt_eval_reference(tfm_context *ctx, tfm_node *node);

#endif /* TFM_KERNELS_SQRT_H */
