/* L2_NORMALIZATION: the op's prepare and reference eval, defined in
 * common/l2_normalization_common.c; a kernel set's override of reference/l2_normalization.c
 * includes this header, reuses prepare and replaces eval. */
#ifndef TFM_KERNELS_L2_NORMALIZATION_H
#define TFM_KERNELS_L2_NORMALIZATION_H

#include "tfm/kernel.h"

tfm_status tfm_l2_normalization_prepare(tfm_context *ctx, tfm_node *node);
tfm_status tfm_l2_normalization_eval_reference(tfm_context *ctx, tfm_node *node);

#endif /* TFM_KERNELS_L2_NORMALIZATION_H */
