/* ELU: the op's prepare and reference eval, defined in
 * common/elu_common.c; a kernel set's override of reference/elu.c
 * includes this header, reuses prepare and replaces eval. */
#ifndef TFM_KERNELS_ELU_H
#define TFM_KERNELS_ELU_H

#include "tfm/kernel.h"

tfm_status tfm_elu_prepare(tfm_context *ctx, tfm_node *node);
tfm_status tfm_elu_eval_reference(tfm_context *ctx, tfm_node *node);

#endif /* TFM_KERNELS_ELU_H */
