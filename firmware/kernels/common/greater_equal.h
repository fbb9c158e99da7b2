/* GREATER_EQUAL: the op's prepare and reference eval, defined in
 * common/greater_equal_common.c; a kernel set's override of reference/greater_equal.c
 * includes this header, reuses prepare and replaces eval. */
#ifndef TFM_KERNELS_GREATER_EQUAL_H
#define TFM_KERNELS_GREATER_EQUAL_H

#include "tfm/kernel.h"

tfm_status tfm_greater_equal_prepare(tfm_context *ctx, tfm_node *node);
tfm_status tfm_greater_equal_eval_reference(tfm_context *ctx, tfm_node *node);

#endif /* TFM_KERNELS_GREATER_EQUAL_H */
