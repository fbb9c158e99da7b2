/* SIN: the op's prepare and reference eval, defined in
 * common/sin_common.c; a kernel set's override of reference/sin.c
 * includes this header, reuses prepare and replaces eval. */
#ifndef TFM_KERNELS_SIN_H
#define TFM_KERNELS_SIN_H

#include "tfm/kernel.h"

tfm_status tfm_sin_prepare(tfm_context *ctx, tfm_node *node);
tfm_status tfm_sin_eval_reference(tfm_context *ctx, tfm_node *node);

#endif /* TFM_KERNELS_SIN_H */
