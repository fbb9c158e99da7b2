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

/* Maps the n elements of a unary op: for each output element y[i] (type
 * T), with x the input element (type T), runs the statements given last. */
#define TFM_UNARY_LOOP(T, in, out, n, ...)                                     \
  do {                                                                         \
    const T *x_ = (const T *)(in)->data;                                       \
    T *y = (T *)(out)->data;                                                   \
    const int32_t n_ = (n);                                                    \
    for (int32_t i = 0; i < n_; ++i) {                                         \
      const T x = x_[i];                                                       \
      __VA_ARGS__;                                                             \
    }                                                                          \
  } while (0)

/* Fails unless t's zero point is `zp` (message names the tensor role). */
tfm_status tfm_expect_zero_point(tfm_context *ctx, const char *op, const char *role,
                                 const tfm_tensor *t, int32_t zp);

/* Smallest and largest value of an integer type (0 for others). */
int32_t tfm_type_min(tfm_type type);
int32_t tfm_type_max(tfm_type type);

/* Element i of an INT8, UINT8 or INT16 tensor's data (others read as INT16:
 * check the type in prepare), widened to int32. */
static inline int32_t tfm_load_quantized(const void *data, tfm_type type, int32_t i) {
  switch (type) {
    case TFM_INT8: return ((const int8_t *)data)[i];
    case TFM_UINT8: return ((const uint8_t *)data)[i];
    default: return ((const int16_t *)data)[i];
  }
}

/* Quantization of a QUANTIZE output or DEQUANTIZE input: per-tensor
 * (channels 1; use the tensor's scale and zero point) or per-channel along
 * a dimension, with persistent copies of the scales and zero points. */
typedef struct tfm_channel_quant {
  int32_t channels;
  int32_t inner; /* elements after the quantized dimension */
  const float *scales;
  const int32_t *zero_points;
} tfm_channel_quant;

/* Fills *cq from q, the quantization of `t` (fails when per-channel scales
 * do not match t's quantized dimension). */
tfm_status tfm_channel_quant_prepare(tfm_context *ctx, const char *op, const tfm_tensor *t,
                                     const tfm_quant *q, tfm_channel_quant *cq);

/* The channel of element i (per-channel only). */
static inline int32_t tfm_channel_of(const tfm_channel_quant *cq, int32_t i) {
  return (i / cq->inner) % cq->channels;
}

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

/* LOGISTIC and TANH (float32, int8, int16): one kernel, told apart by this
 * description. int8 uses a 256-entry table built in prepare from `lut_fn`
 * (as TFLite's LUTPopulate); int16 the shared sigmoid above; float32 applies
 * `float_fn` to each element. LOGISTIC (not tanh) requires an int8 output
 * scale of 1/256. */
typedef struct tfm_sigmoid_op {
  const char *name;
  bool is_tanh;
  float (*float_fn)(float);
  float (*lut_fn)(float);
} tfm_sigmoid_op;
tfm_status tfm_sigmoid_op_prepare(tfm_context *ctx, tfm_node *node, const tfm_sigmoid_op *op);
tfm_status tfm_sigmoid_op_eval(tfm_context *ctx, tfm_node *node, const tfm_sigmoid_op *op);

#endif /* TFM_KERNELS_ACTIVATION_COMMON_H */
