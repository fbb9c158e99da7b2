/* GELU: the op's prepare and reference eval, defined in
 * common/gelu_common.c; a kernel set's override of reference/gelu.c
 * includes this header, reuses prepare and replaces eval. */
#ifndef TFM_KERNELS_GELU_H
#define TFM_KERNELS_GELU_H

#include "tfm/kernel.h"

tfm_status tfm_gelu_prepare(tfm_context *ctx, tfm_node *node);
tfm_status tfm_gelu_eval_reference(tfm_context *ctx, tfm_node *node);

#endif /* TFM_KERNELS_GELU_H */
