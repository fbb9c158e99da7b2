/* ARG_MIN (and ARG_MAX's logic, for it to move onto): the index of the first
 * smallest (largest) value along `axis` (input 1, INT32/INT64 scalar or
 * [1]); float32, int8, uint8, int32 input (TFLite's
 * numeric types); INT32 or INT64 output. NaN
 * never wins a comparison, as TFLite's std::less / std::greater. */
#ifndef TFM_KERNELS_ARG_MINMAX_H
#define TFM_KERNELS_ARG_MINMAX_H

#include "tfm/kernel.h"

tfm_status tfm_arg_minmax_prepare(tfm_context *ctx, tfm_node *node);
tfm_status tfm_arg_minmax_eval(tfm_context *ctx, tfm_node *node, bool is_max);

#endif /* TFM_KERNELS_ARG_MINMAX_H */
