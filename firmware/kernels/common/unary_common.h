/* Shared prepare and eval of the float32 elementwise math ops (FLOOR, CEIL,
 * ROUND, SQUARE, SQRT, RSQRT, ...): one input, one output of the same type
 * and element count, y[i] = fn(x[i]). The functions come from
 * internal/fmath.h (no libm). */
#ifndef TFM_KERNELS_UNARY_COMMON_H
#define TFM_KERNELS_UNARY_COMMON_H

#include "tfm/kernel.h"

/* FLOAT32 in and out, same element count. */
tfm_status tfm_float_unary_prepare(tfm_context *ctx, tfm_node *node, const char *op);
tfm_status tfm_float_unary_eval(tfm_context *ctx, tfm_node *node, float (*fn)(float));

/* Float32, int8 (a 256-entry table of `fn` built in prepare, as TFLite's
 * LUTPopulate<int8_t>: round(fn(dequantized q) / output_scale) + zero point,
 * clamped) and, with `int16`, int16 (zero points 0; TFLite's interpolated
 * 513-entry table, internal/lut16.h) unary ops: EXP, LOG, GELU, ELU. `fn`
 * is the float function (with TFLite's edge conventions) for the tables. */
tfm_status tfm_lut_unary_prepare(tfm_context *ctx, tfm_node *node, const char *op,
                                 float (*fn)(float), bool int16);
tfm_status tfm_lut_unary_eval(tfm_context *ctx, tfm_node *node, float (*fn)(float));

#endif /* TFM_KERNELS_UNARY_COMMON_H */
