/* LOG_SOFTMAX: the op's prepare and reference eval, defined in
 * common/log_softmax_common.c; a kernel set's override of reference/log_softmax.c
 * includes this header, reuses prepare and replaces eval. */
#ifndef TFM_KERNELS_LOG_SOFTMAX_H
#define TFM_KERNELS_LOG_SOFTMAX_H

#include "tfm/kernel.h"

tfm_status tfm_log_softmax_prepare(tfm_context *ctx, tfm_node *node);
tfm_status tfm_log_softmax_eval_reference(tfm_context *ctx, tfm_node *node);

#endif /* TFM_KERNELS_LOG_SOFTMAX_H */
