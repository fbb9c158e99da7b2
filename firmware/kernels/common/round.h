/* ROUND: the op's prepare and reference eval, defined in
 * common/round_common.c; a kernel set's override of reference/round.c
 * includes this header, reuses prepare and replaces eval. */
#ifndef TFM_KERNELS_ROUND_H
#define TFM_KERNELS_ROUND_H

#include "tfm/kernel.h"

tfm_status tfm_round_prepare(tfm_context *ctx, tfm_node *node);
tfm_status tfm_round_eval_reference(tfm_context *ctx, tfm_node *node);

#endif /* TFM_KERNELS_ROUND_H */
