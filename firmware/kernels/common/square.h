/* SQUARE: the op's prepare and reference eval, defined in
 * common/square_common.c; a kernel set's override of reference/square.c
 * includes this header, reuses prepare and replaces eval. */
#ifndef TFM_KERNELS_SQUARE_H
#define TFM_KERNELS_SQUARE_H

#include "tfm/kernel.h"

tfm_status tfm_square_prepare(tfm_context *ctx, tfm_node *node);
tfm_status tfm_square_eval_reference(tfm_context *ctx, tfm_node *node);

#endif /* TFM_KERNELS_SQUARE_H */
