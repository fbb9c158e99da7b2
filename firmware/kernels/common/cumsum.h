/* CUMSUM: the op's prepare and reference eval, defined in
 * common/cumsum_common.c; a kernel set's override of reference/cumsum.c
 * includes this header, reuses prepare and replaces eval. */
#ifndef TFM_KERNELS_CUMSUM_H
#define TFM_KERNELS_CUMSUM_H

#include "tfm/kernel.h"

tfm_status tfm_cumsum_prepare(tfm_context *ctx, tfm_node *node);
tfm_status tfm_cumsum_eval_reference(tfm_context *ctx, tfm_node *node);

#endif /* TFM_KERNELS_CUMSUM_H */
