/* COS: the op's prepare and reference eval, defined in
 * common/cos_common.c; a kernel set's override of reference/cos.c
 * includes this header, reuses prepare and replaces eval. */
#ifndef TFM_KERNELS_COS_H
#define TFM_KERNELS_COS_H

#include "tfm/kernel.h"

tfm_status tfm_cos_prepare(tfm_context *ctx, tfm_node *node);
tfm_status tfm_cos_eval_reference(tfm_context *ctx, tfm_node *node);

#endif /* TFM_KERNELS_COS_H */
