/* AVERAGE_POOL_2D: input NHWC -> output NHWC. Reference eval as TFLite's
 * reference_ops::AveragePool (float: sum / count in float) and
 * reference_integer_ops::AveragePool (int8/int16: int32 sum, divided by the
 * number of in-image taps rounding half away from zero). Padding taps are
 * not counted. */
#ifndef TFM_KERNELS_AVERAGE_POOL_2D_H
#define TFM_KERNELS_AVERAGE_POOL_2D_H

#include "common/pool_common.h"
#include "tfm/kernel.h"

/* Node data: the shared pooling geometry and activation range. */
typedef tfm_pool_data TfmAveragePool2DData;

/* tfm_pool_prepare, then refuses padding that leaves a window without
 * in-image taps (TFLite fails too). */
tfm_status tfm_average_pool_2d_prepare(tfm_context *ctx, tfm_node *node);

/* Reference eval for float32, int8 and int16; needs the node->data of the
 * prepare above. An override calls it for the cases it does not handle. */
tfm_status tfm_average_pool_2d_eval_reference(tfm_context *ctx, tfm_node *node);

#endif /* TFM_KERNELS_AVERAGE_POOL_2D_H */
