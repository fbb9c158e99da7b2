/* DYNAMIC_UPDATE_SLICE: the op's prepare and reference eval, defined in
 * common/dynamic_update_slice_common.c; a kernel set's override of reference/dynamic_update_slice.c
 * includes this header, reuses prepare and replaces eval. */
#ifndef TFM_KERNELS_DYNAMIC_UPDATE_SLICE_H
#define TFM_KERNELS_DYNAMIC_UPDATE_SLICE_H

#include "tfm/kernel.h"

tfm_status tfm_dynamic_update_slice_prepare(tfm_context *ctx, tfm_node *node);
tfm_status tfm_dynamic_update_slice_eval_reference(tfm_context *ctx, tfm_node *node);

#endif /* TFM_KERNELS_DYNAMIC_UPDATE_SLICE_H */
