/* SPACE_TO_DEPTH: the op's prepare and reference eval, defined in
 * common/space_to_depth_common.c; a kernel set's override of reference/space_to_depth.c
 * includes this header, reuses prepare and replaces eval. */
#ifndef TFM_KERNELS_SPACE_TO_DEPTH_H
#define TFM_KERNELS_SPACE_TO_DEPTH_H

#include "tfm/kernel.h"

tfm_status tfm_space_to_depth_prepare(tfm_context *ctx, tfm_node *node);
tfm_status tfm_space_to_depth_eval_reference(tfm_context *ctx, tfm_node *node);

#endif /* TFM_KERNELS_SPACE_TO_DEPTH_H */
