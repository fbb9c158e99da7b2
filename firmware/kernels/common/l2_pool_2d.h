/* L2_POOL_2D: the op's prepare and reference eval, defined in
 * common/l2_pool_2d_common.c; a kernel set's override of reference/l2_pool_2d.c
 * includes this header, reuses prepare and replaces eval. */
#ifndef TFM_KERNELS_L2_POOL_2D_H
#define TFM_KERNELS_L2_POOL_2D_H

#include "tfm/kernel.h"

tfm_status tfm_l2_pool_2d_prepare(tfm_context *ctx, tfm_node *node);
tfm_status tfm_l2_pool_2d_eval_reference(tfm_context *ctx, tfm_node *node);

#endif /* TFM_KERNELS_L2_POOL_2D_H */
