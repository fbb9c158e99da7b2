/* ARG_MIN: the op's prepare and reference eval, defined in
 * common/arg_min_common.c; a kernel set's override of reference/arg_min.c
 * includes this header, reuses prepare and replaces eval. */
#ifndef TFM_KERNELS_ARG_MIN_H
#define TFM_KERNELS_ARG_MIN_H

#include "common/arg_minmax.h"
#include "tfm/kernel.h"

#define tfm_arg_min_prepare tfm_arg_minmax_prepare
tfm_status tfm_arg_min_eval_reference(tfm_context *ctx, tfm_node *node);

#endif /* TFM_KERNELS_ARG_MIN_H */
