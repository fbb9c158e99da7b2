/* LESS_EQUAL: the op's prepare and reference eval, defined in
 * common/less_equal_common.c; a kernel set's override of reference/less_equal.c
 * includes this header, reuses prepare and replaces eval. */
#ifndef TFM_KERNELS_LESS_EQUAL_H
#define TFM_KERNELS_LESS_EQUAL_H

#include "tfm/kernel.h"

tfm_status tfm_less_equal_prepare(tfm_context *ctx, tfm_node *node);
tfm_status tfm_less_equal_eval_reference(tfm_context *ctx, tfm_node *node);

#endif /* TFM_KERNELS_LESS_EQUAL_H */
