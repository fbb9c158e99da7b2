/* ADD_N: the op's prepare and reference eval, defined in
 * common/add_n_common.c; a kernel set's override of reference/add_n.c
 * includes this header, reuses prepare and replaces eval. */
#ifndef TFM_KERNELS_ADD_N_H
#define TFM_KERNELS_ADD_N_H

#include "tfm/kernel.h"

tfm_status tfm_add_n_prepare(tfm_context *ctx, tfm_node *node);
tfm_status tfm_add_n_eval_reference(tfm_context *ctx, tfm_node *node);

#endif /* TFM_KERNELS_ADD_N_H */
