/* Shared prepare helpers for the unary activation ops (RELU, RELU6,
 * LEAKY_RELU, HARD_SWISH, LOGISTIC, TANH, QUANTIZE, DEQUANTIZE, CAST,
 * SOFTMAX). */
#ifndef TFM_KERNELS_ACTIVATION_COMMON_H
#define TFM_KERNELS_ACTIVATION_COMMON_H

#include "tfm/kernel.h"

/* Checks 1 input and 1 output with the same element count; when
 * `same_type`, the output type must equal the input type; the input type
 * must be in `types` (a list ending with -1). Allocates `data_size` zeroed
 * bytes into node->data (when non-zero) and returns the tensors. */
tfm_status tfm_unary_prepare(tfm_context *ctx, tfm_node *node, const char *op, const int *types,
                             bool same_type, size_t data_size, const tfm_tensor **in,
                             const tfm_tensor **out);

/* Fails unless t's zero point is `zp` (message names the tensor role). */
tfm_status tfm_expect_zero_point(tfm_context *ctx, const char *op, const char *role,
                                 const tfm_tensor *t, int32_t zp);

/* Smallest and largest value of an integer type (0 for others). */
int32_t tfm_type_min(tfm_type type);
int32_t tfm_type_max(tfm_type type);

/* RELU and RELU6 (int8, int16, float32): clamp to [0, upper] (upper < 0:
 * unbounded), requantizing int8/int16 with input_scale / output_scale. */
tfm_status tfm_relux_prepare(tfm_context *ctx, tfm_node *node, const char *op, float upper);
tfm_status tfm_relux_eval(tfm_context *ctx, tfm_node *node);

/* int16 LOGISTIC / TANH as TFLite's reference_integer_ops: the input is
 * rescaled so that 2^12 / 3 represents 1.0 (power-of-two scales use a plain
 * shift, other scales an integer multiplier found in prepare), then a
 * 256-entry sigmoid table (sigmoid(i/24) in Q0.16) is linearly interpolated;
 * tanh uses tanh(x) = 2 sigmoid(2x) - 1. Input and output zero points must
 * be 0 and the output scale 2^-15. */
tfm_status tfm_sigmoid_i16_prepare(tfm_context *ctx, const char *op, const tfm_tensor *in,
                                   const tfm_tensor *out, bool is_tanh, int32_t *input_multiplier,
                                   int *input_left_shift);
void tfm_sigmoid_i16(int32_t input_multiplier, int input_left_shift, bool is_tanh, int32_t n,
                     const int16_t *x, int16_t *y);

#endif /* TFM_KERNELS_ACTIVATION_COMMON_H */
