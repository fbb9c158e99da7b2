/* RSQRT: the op's prepare and reference eval, defined in
 * common/rsqrt_common.c; a kernel set's override of reference/rsqrt.c
 * includes this header, reuses prepare and replaces eval. */
#ifndef TFM_KERNELS_RSQRT_H
#define TFM_KERNELS_RSQRT_H

#include "tfm/kernel.h"

tfm_status tfm_rsqrt_prepare(tfm_context *ctx, tfm_node *node);
tfm_status tfm_rsqrt_eval_reference(tfm_context *ctx, tfm_node *node);

#endif /* TFM_KERNELS_RSQRT_H */
