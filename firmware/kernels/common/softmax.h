/* SOFTMAX over the last dimension: float32, int8 -> int8/int16,
 * int16 -> int16 (see common/softmax_common.h). */
#ifndef TFM_KERNELS_SOFTMAX_H
#define TFM_KERNELS_SOFTMAX_H

#include "common/softmax_common.h"
#include "tfm/kernel.h"

/* Node data: the family's tfm_softmax_data. */
typedef tfm_softmax_data TfmSoftmaxData;

/* The op's prepare is the family's tfm_softmax_prepare (common/softmax_common.h). */

/* The reference eval (needs tfm_softmax_prepare); an override calls it for the
 * cases it does not handle itself. */
tfm_status tfm_softmax_eval_reference(tfm_context *ctx, tfm_node *node);

#endif /* TFM_KERNELS_SOFTMAX_H */
