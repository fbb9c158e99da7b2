/* FLOOR_MOD: the op's prepare and reference eval, defined in
 * common/floor_mod_common.c; a kernel set's override of reference/floor_mod.c
 * includes this header, reuses prepare and replaces eval. */
#ifndef TFM_KERNELS_FLOOR_MOD_H
#define TFM_KERNELS_FLOOR_MOD_H

#include "tfm/kernel.h"

tfm_status tfm_floor_mod_prepare(tfm_context *ctx, tfm_node *node);
tfm_status tfm_floor_mod_eval_reference(tfm_context *ctx, tfm_node *node);

#endif /* TFM_KERNELS_FLOOR_MOD_H */
