/* MAX_POOL_2D: input NHWC -> output NHWC. Reference eval as TFLite's
 * reference_ops::MaxPool (float) and reference_integer_ops::MaxPool
 * (int8/int16): maximum over the in-image taps, then the activation clamp. */
#ifndef TFM_KERNELS_MAX_POOL_2D_H
#define TFM_KERNELS_MAX_POOL_2D_H

#include "common/pool_common.h"
#include "tfm/kernel.h"

/* Node data: the shared pooling geometry and activation range. */
typedef tfm_pool_data TfmMaxPool2DData;

/* The shared pool prepare (common/pool_common.h) is the op's prepare. */
#define tfm_max_pool_2d_prepare tfm_pool_prepare

/* Reference eval for float32, int8 and int16; needs the node->data of the
 * prepare above. An override calls it for the cases it does not handle. */
tfm_status tfm_max_pool_2d_eval_reference(tfm_context *ctx, tfm_node *node);

#endif /* TFM_KERNELS_MAX_POOL_2D_H */
