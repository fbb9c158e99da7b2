/* MIRROR_PAD: the op's prepare and reference eval, defined in
 * common/mirror_pad_common.c; a kernel set's override of reference/mirror_pad.c
 * includes this header, reuses prepare and replaces eval. */
#ifndef TFM_KERNELS_MIRROR_PAD_H
#define TFM_KERNELS_MIRROR_PAD_H

#include "tfm/kernel.h"

tfm_status tfm_mirror_pad_prepare(tfm_context *ctx, tfm_node *node);
tfm_status tfm_mirror_pad_eval_reference(tfm_context *ctx, tfm_node *node);

#endif /* TFM_KERNELS_MIRROR_PAD_H */
