/* FLOOR_DIV: the op's prepare and reference eval, defined in
 * common/floor_div_common.c; a kernel set's override of reference/floor_div.c
 * includes this header, reuses prepare and replaces eval. */
#ifndef TFM_KERNELS_FLOOR_DIV_H
#define TFM_KERNELS_FLOOR_DIV_H

#include "tfm/kernel.h"

tfm_status tfm_floor_div_prepare(tfm_context *ctx, tfm_node *node);
tfm_status tfm_floor_div_eval_reference(tfm_context *ctx, tfm_node *node);

#endif /* TFM_KERNELS_FLOOR_DIV_H */
