/* ZEROS_LIKE: the op's prepare and reference eval, defined in
 * common/zeros_like_common.c; a kernel set's override of reference/zeros_like.c
 * includes this header, reuses prepare and replaces eval. */
#ifndef TFM_KERNELS_ZEROS_LIKE_H
#define TFM_KERNELS_ZEROS_LIKE_H

#include "tfm/kernel.h"

tfm_status tfm_zeros_like_prepare(tfm_context *ctx, tfm_node *node);
tfm_status tfm_zeros_like_eval_reference(tfm_context *ctx, tfm_node *node);

#endif /* TFM_KERNELS_ZEROS_LIKE_H */
