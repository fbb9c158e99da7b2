/* SELECT_V2: the op's prepare and reference eval, defined in
 * common/select_v2_common.c; a kernel set's override of reference/select_v2.c
 * includes this header, reuses prepare and replaces eval. */
#ifndef TFM_KERNELS_SELECT_V2_H
#define TFM_KERNELS_SELECT_V2_H

#include "tfm/kernel.h"

tfm_status tfm_select_v2_prepare(tfm_context *ctx, tfm_node *node);
tfm_status tfm_select_v2_eval_reference(tfm_context *ctx, tfm_node *node);

#endif /* TFM_KERNELS_SELECT_V2_H */
