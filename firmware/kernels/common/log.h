/* LOG: the op's prepare and reference eval, defined in
 * common/log_common.c; a kernel set's override of reference/log.c
 * includes this header, reuses prepare and replaces eval. */
#ifndef TFM_KERNELS_LOG_H
#define TFM_KERNELS_LOG_H

#include "tfm/kernel.h"

tfm_status tfm_log_prepare(tfm_context *ctx, tfm_node *node);
tfm_status tfm_log_eval_reference(tfm_context *ctx, tfm_node *node);

#endif /* TFM_KERNELS_LOG_H */
