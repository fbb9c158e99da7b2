/* SQUARED_DIFFERENCE: the op's prepare and reference eval, defined in
 * common/squared_difference_common.c; a kernel set's override of reference/squared_difference.c
 * includes this header, reuses prepare and replaces eval. */
#ifndef TFM_KERNELS_SQUARED_DIFFERENCE_H
#define TFM_KERNELS_SQUARED_DIFFERENCE_H

#include "tfm/kernel.h"

tfm_status tfm_squared_difference_prepare(tfm_context *ctx, tfm_node *node);
tfm_status tfm_squared_difference_eval_reference(tfm_context *ctx, tfm_node *node);

#endif /* TFM_KERNELS_SQUARED_DIFFERENCE_H */
