/* EXP: the op's prepare and reference eval, defined in
 * common/exp_common.c; a kernel set's override of reference/exp.c
 * includes this header, reuses prepare and replaces eval. */
#ifndef TFM_KERNELS_EXP_H
#define TFM_KERNELS_EXP_H

#include "tfm/kernel.h"

tfm_status tfm_exp_prepare(tfm_context *ctx, tfm_node *node);
tfm_status tfm_exp_eval_reference(tfm_context *ctx, tfm_node *node);

#endif /* TFM_KERNELS_EXP_H */
