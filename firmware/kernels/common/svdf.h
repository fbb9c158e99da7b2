/* SVDF: the op's prepare and reference eval, defined in
 * common/svdf_common.c; a kernel set's override of reference/svdf.c
 * includes this header, reuses prepare and replaces eval. */
#ifndef TFM_KERNELS_SVDF_H
#define TFM_KERNELS_SVDF_H

#include "tfm/kernel.h"

tfm_status tfm_svdf_prepare(tfm_context *ctx, tfm_node *node);
tfm_status tfm_svdf_eval_reference(tfm_context *ctx, tfm_node *node);

#endif /* TFM_KERNELS_SVDF_H */
