/* FLOOR: the op's prepare and reference eval, defined in
 * common/floor_common.c; a kernel set's override of reference/floor.c
 * includes this header, reuses prepare and replaces eval. */
#ifndef TFM_KERNELS_FLOOR_H
#define TFM_KERNELS_FLOOR_H

#include "tfm/kernel.h"

tfm_status tfm_floor_prepare(tfm_context *ctx, tfm_node *node);
tfm_status tfm_floor_eval_reference(tfm_context *ctx, tfm_node *node);

#endif /* TFM_KERNELS_FLOOR_H */
