/* NEG: the op's prepare and reference eval, defined in
 * common/neg_common.c; a kernel set's override of reference/neg.c
 * includes this header, reuses prepare and replaces eval. */
#ifndef TFM_KERNELS_NEG_H
#define TFM_KERNELS_NEG_H

#include "tfm/kernel.h"

tfm_status tfm_neg_prepare(tfm_context *ctx, tfm_node *node);
tfm_status tfm_neg_eval_reference(tfm_context *ctx, tfm_node *node);

#endif /* TFM_KERNELS_NEG_H */
