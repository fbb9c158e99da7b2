/* SPACE_TO_BATCH_ND and BATCH_TO_SPACE_ND on 3-D [N, H, C] or 4-D
 * [N, H, W, C] tensors (TFLite's reference kernels; 3-D runs as W = 1):
 * input 1 is block_shape (INT32, [1] or [2]), input 2 the paddings (space to
 * batch) or crops (batch to space), INT32 [spatial dims, 2].
 * Output batch b holds block offset (b / N) (row-major over the block) of
 * input batch b % N; padded positions take the output zero point (0 for
 * float). Values are copied (any element type). */
#ifndef TFM_KERNELS_BATCH_SPACE_H
#define TFM_KERNELS_BATCH_SPACE_H

#include "tfm/kernel.h"

tfm_status tfm_batch_space_prepare(tfm_context *ctx, tfm_node *node, bool to_batch);
tfm_status tfm_batch_space_eval(tfm_context *ctx, tfm_node *node, bool to_batch);

#endif /* TFM_KERNELS_BATCH_SPACE_H */
