/* MEAN and SUM: shared prepare and eval.
 *
 * Inputs (data, axes INT32); option keep_dims. Sums run over the reduced
 * axes into a scratch accumulator (int32 for int8/int16, int64 for int32,
 * float for float32), then each output is finished as TFLite does:
 *
 * MEAN (TFLite reference kernel, reference/reduce.h QuantizedMeanOrSum)
 *   int8/int16: M, s = QuantizeMultiplier(double(scale_in) / scale_out);
 *     k = min(floor(log2 n), 32, 31 + s); M' = (int64(M) << k) / n;
 *     out = MultiplyByQuantizedMultiplier(sum - zp_in * n, M', s - k)
 *     + zp_out, clamped (n = reduced element count).
 *   float32: sum / n; int32: int64 sum / n (C division).
 * SUM (int8/int16: TFLite's optimized kernel, see reduce_common.c)
 *   int8/int16: round(sum * (s_in/s_out) - zp_in*(s_in/s_out)*n) + zp_out,
 *     clamped; float32/int32: plain sum. */
#ifndef TFM_KERNELS_REDUCE_COMMON_H
#define TFM_KERNELS_REDUCE_COMMON_H

#include "tfm/kernel.h"

typedef enum { TFM_REDUCE_MEAN, TFM_REDUCE_SUM } tfm_reduce_kind;

tfm_status tfm_reduce_prepare(tfm_context *ctx, tfm_node *node, tfm_reduce_kind kind);
tfm_status tfm_reduce_eval(tfm_context *ctx, tfm_node *node, tfm_reduce_kind kind);

#endif /* TFM_KERNELS_REDUCE_COMMON_H */
