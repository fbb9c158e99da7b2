/* REDUCE_MAX, REDUCE_MIN and REDUCE_PROD (TFLite's ReduceGeneric): inputs
 * (data, axes INT32/INT64 scalar or vector, negative counted from the end,
 * repeats allowed), option keep_dims (offset 4) fixes only the static output
 * shape. Every output starts at the reduction's initial value, the numeric
 * limits as TFLite's (lowest() for MAX: all -inf or NaN gives -FLT_MAX;
 * max() for MIN; 1 for PROD), then takes the input in row-major order:
 * MAX/MIN keep the incumbent unless the new value is strictly beyond it
 * (NaN is skipped), PROD multiplies (integers wrap). MAX/MIN compare raw
 * values: quantized inputs need the output's quantization. */
#ifndef TFM_KERNELS_REDUCE_EXT_H
#define TFM_KERNELS_REDUCE_EXT_H

#include "tfm/kernel.h"

typedef enum { TFM_REDUCE_EXT_MAX, TFM_REDUCE_EXT_MIN, TFM_REDUCE_EXT_PROD } tfm_reduce_ext_kind;

/* `same_quant`: input and output must share quantization (raw-value ops). */
tfm_status tfm_reduce_ext_prepare(tfm_context *ctx, tfm_node *node, const char *op,
                                  const int *types, bool same_quant);
tfm_status tfm_reduce_ext_eval(tfm_context *ctx, tfm_node *node, tfm_reduce_ext_kind kind);

/* Quantized REDUCE_PROD (int8, int16 with zero points 0), TFLite's
 * QuantizedReduceProd: with n = input / output elements and
 * s = input_scale / output_scale^(1/n) as a Q31 multiplier, each output starts
 * at its first (x - zero_point) and every further element multiplies in as
 * MultiplyByQuantizedMultiplier(int64 acc * (x - zero_point), s); the result
 * is rescaled by s once more, plus the output zero point, clamped. The
 * prepare runs after tfm_reduce_ext_prepare and needs constant axes. */
tfm_status tfm_reduce_prod_quantized_prepare(tfm_context *ctx, tfm_node *node);
tfm_status tfm_reduce_prod_quantized_eval(tfm_context *ctx, tfm_node *node);

#endif /* TFM_KERNELS_REDUCE_EXT_H */
