/* DEPTH_TO_SPACE: the op's prepare and reference eval, defined in
 * common/depth_to_space_common.c; a kernel set's override of reference/depth_to_space.c
 * includes this header, reuses prepare and replaces eval. */
#ifndef TFM_KERNELS_DEPTH_TO_SPACE_H
#define TFM_KERNELS_DEPTH_TO_SPACE_H

#include "tfm/kernel.h"

tfm_status tfm_depth_to_space_prepare(tfm_context *ctx, tfm_node *node);
tfm_status tfm_depth_to_space_eval_reference(tfm_context *ctx, tfm_node *node);

#endif /* TFM_KERNELS_DEPTH_TO_SPACE_H */
