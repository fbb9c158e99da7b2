/* Shared prepare and helpers for the binary elementwise ops (ADD, SUB, MUL,
 * DIV, MAXIMUM, MINIMUM, PRELU).
 *
 * Broadcasting follows TFLite (numpy rules, up to TFM_MAX_DIMS dims): shapes
 * are right-aligned and a dimension of 1 stretches. tfm_bcast holds the
 * output dims and per-input element strides (0 on broadcast dims), padded
 * to TFM_MAX_DIMS; kernels walk the output in order with tfm_bcast_next. */
#ifndef TFM_KERNELS_BINARY_COMMON_H
#define TFM_KERNELS_BINARY_COMMON_H

#include "tfm/kernel.h"

typedef struct tfm_bcast {
  int32_t dims[TFM_MAX_DIMS];
  int32_t stride1[TFM_MAX_DIMS];
  int32_t stride2[TFM_MAX_DIMS];
  int32_t count;      /* output elements */
  bool broadcast;     /* false: both inputs have the output's shape */
} tfm_bcast;

/* Walk state over the output of a tfm_bcast. */
typedef struct tfm_bcast_it {
  int32_t idx[TFM_MAX_DIMS];
  int32_t off1;
  int32_t off2;
} tfm_bcast_it;

static inline void tfm_bcast_begin(tfm_bcast_it *it) {
  for (int d = 0; d < TFM_MAX_DIMS; ++d) it->idx[d] = 0;
  it->off1 = 0;
  it->off2 = 0;
}

/* Advance to the next output element (row-major). */
static inline void tfm_bcast_next(const tfm_bcast *bc, tfm_bcast_it *it) {
  if (!bc->broadcast) { /* equal shapes: flat walk */
    ++it->off1;
    ++it->off2;
    return;
  }
  for (int d = TFM_MAX_DIMS - 1; d >= 0; --d) {
    it->off1 += bc->stride1[d];
    it->off2 += bc->stride2[d];
    if (++it->idx[d] < bc->dims[d]) return;
    it->off1 -= bc->stride1[d] * bc->dims[d];
    it->off2 -= bc->stride2[d] * bc->dims[d];
    it->idx[d] = 0;
  }
}

/* Walks the output of a binary op in order: for each output element y[i]
 * (type T), with x1 and x2 the input values broadcast to it (type T), runs
 * the statements given last. `bc` is the op's tfm_bcast, `it` a
 * tfm_bcast_it just started with tfm_bcast_begin; in1, in2 and out are the
 * op's tensors. */
#define TFM_BCAST_LOOP(T, bc, it, in1, in2, out, ...)                          \
  do {                                                                         \
    const T *a_ = (const T *)(in1)->data, *b_ = (const T *)(in2)->data;        \
    T *y = (T *)(out)->data;                                                   \
    const int32_t n_ = (bc)->count;                                            \
    for (int32_t i = 0; i < n_; ++i, tfm_bcast_next((bc), &(it))) {            \
      const T x1 = a_[(it).off1], x2 = b_[(it).off2];                          \
      __VA_ARGS__;                                                             \
    }                                                                          \
  } while (0)

/* Checks that in1 and in2 broadcast to out's shape and fills *bc.
 * `op` names the op in messages. */
tfm_status tfm_bcast_prepare(tfm_context *ctx, const char *op, const tfm_tensor *in1,
                             const tfm_tensor *in2, const tfm_tensor *out, tfm_bcast *bc);

/* Persistent data of ADD/SUB/MUL/DIV/MAXIMUM/MINIMUM. */
typedef struct tfm_binary_data {
  tfm_bcast bc;
  int32_t in1_offset;   /* -zero_point of input 1 */
  int32_t in2_offset;
  int32_t out_offset;   /* output zero point */
  int32_t in1_multiplier;
  int32_t in2_multiplier;
  int32_t out_multiplier;
  int in1_shift;
  int in2_shift;
  int out_shift;
  int left_shift;
  int32_t act_min;      /* quantized (or int32) activation range */
  int32_t act_max;
  float f_act_min;
  float f_act_max;
  bool pot_int16;       /* ADD/SUB int16 power-of-two path */
} tfm_binary_data;

/* Common prepare: 2 inputs, 1 output, same types (one of `types`, a
 * TFM_*-terminated list ending with -1), broadcast shapes; allocates
 * tfm_binary_data in node->data and fills bc, activation ranges (from the
 * fused activation at options offset 4 when `has_activation`) and zero-point
 * offsets. */
tfm_status tfm_binary_prepare(tfm_context *ctx, tfm_node *node, const char *op,
                              const int *types, bool has_activation, tfm_binary_data **out);

/* ADD and SUB share TFLite's quantized scheme: both inputs rescaled to
 * twice the larger input scale with a left shift (20 for int8, 15 for
 * int16), summed, then rescaled to the output. `sign` is +1 (ADD) or -1 (SUB). */
tfm_status tfm_add_sub_prepare(tfm_context *ctx, tfm_node *node, const char *op);
tfm_status tfm_add_sub_eval(tfm_context *ctx, tfm_node *node, int sign);

/* Integer activation range for an int32 output (CalculateActivationRange). */
void tfm_activation_range_i32(int activation, int32_t *act_min, int32_t *act_max);


/* MAXIMUM / MINIMUM (int8, int16, int32, float32, broadcast); TFLite
 * compares raw values and ignores quantization. */
tfm_status tfm_max_min_prepare(tfm_context *ctx, tfm_node *node, const char *op);
tfm_status tfm_max_min_eval(tfm_context *ctx, tfm_node *node, bool is_max);

#endif /* TFM_KERNELS_BINARY_COMMON_H */
