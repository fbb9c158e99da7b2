#include "common/reduce_common.h"

#include "common/shape_common.h"
#include "internal/quant.h"

typedef struct {
  int32_t multiplier;  /* QuantizeMultiplier(scale_in / scale_out) */
  int shift;
  int32_t mean_n;      /* reduced count mean_multiplier is for; 0 = axes not constant */
  int32_t mean_multiplier;
  int mean_shift;
  int scratch;         /* accumulator, one per output element */
} reduce_data;

/* TFLite's QuantizedMeanOrSum: fold 1/n into the multiplier by shifting it
 * left by floor(log2 n) (capped at 32 and 31 + shift), then dividing by n in
 * int64 (truncating). */
static void fold_mean(int32_t multiplier, int shift, int32_t n, int32_t *out_mult,
                      int *out_shift) {
  int k = 0;
  while (k < 32 && ((int64_t)1 << (k + 1)) <= (int64_t)n) ++k;
  if (k > 31 + shift) k = 31 + shift;
  *out_mult = (int32_t)(((int64_t)multiplier << k) / (int64_t)n);
  *out_shift = shift - k;
}

/* Reduced element count for constant axes, 0 otherwise. */
static int32_t constant_count(const tfm_tensor *in, const tfm_tensor *axes) {
  if (axes->data == NULL || !(axes->flags & TFM_TENSOR_CONSTANT)) return 0;
  bool reduced[TFM_MAX_DIMS] = {false};
  for (int32_t i = 0; i < tfm_tensor_elements(axes); ++i) {
    const int a = tfm_shape_axis((int32_t)tfm_shape_read_index(axes, i), in->rank);
    if (a < 0) return 0;
    reduced[a] = true;
  }
  int32_t n = 1;
  for (int d = 0; d < in->rank; ++d) {
    if (reduced[d]) n *= in->dims[d];
  }
  return n;
}

tfm_status tfm_reduce_prepare(tfm_context *ctx, tfm_node *node, tfm_reduce_kind kind) {
  TFM_TRY(tfm_shape_check_io(ctx, node, 2, 2, 1));
  const tfm_tensor *in = tfm_input(ctx, node, 0);
  const tfm_tensor *axes = tfm_input(ctx, node, 1);
  const tfm_tensor *out = tfm_output(ctx, node, 0);
  const tfm_type t = (tfm_type)in->type;
  if (t != TFM_INT8 && t != TFM_INT16 && t != TFM_INT32 && t != TFM_FLOAT32) {
    return tfm_fail(ctx, TFM_UNSUPPORTED, "input type %s not supported", tfm_type_name(t));
  }
  if (out->type != t) {
    return tfm_fail(ctx, TFM_UNSUPPORTED, "output type %s differs from input type %s",
                    tfm_type_name((tfm_type)out->type), tfm_type_name(t));
  }
  if (axes->type != TFM_INT32) {
    return tfm_fail(ctx, TFM_UNSUPPORTED, "axis type %s not supported (INT32)",
                    tfm_type_name((tfm_type)axes->type));
  }
  if (in->rank > TFM_MAX_DIMS) {
    return tfm_fail(ctx, TFM_UNSUPPORTED, "input rank %d above %d", (int)in->rank, TFM_MAX_DIMS);
  }
  if (t == TFM_INT16 && (in->zero_point != 0 || out->zero_point != 0)) {
    return tfm_fail(ctx, TFM_UNSUPPORTED, "INT16 needs zero points 0");
  }
  if ((t == TFM_INT8 || t == TFM_INT16) && (in->scale <= 0.0f || out->scale <= 0.0f)) {
    return tfm_fail(ctx, TFM_BAD_MODEL, "quantized input/output needs a scale");
  }
  reduce_data *data;
  TFM_TRY(tfm_alloc_persistent(ctx, sizeof(*data), (void **)&data));
  if (t == TFM_INT8 || t == TFM_INT16) {
    tfm_quantize_multiplier((double)in->scale / (double)out->scale, &data->multiplier,
                            &data->shift);
    data->mean_n = constant_count(in, axes);
    if (data->mean_n > 0) {
      fold_mean(data->multiplier, data->shift, data->mean_n, &data->mean_multiplier,
                &data->mean_shift);
    }
  }
  const size_t acc_size = t == TFM_INT32 ? 8u : 4u;
  TFM_TRY(tfm_request_scratch(ctx, (size_t)tfm_tensor_elements(out) * acc_size + 8u,
                              &data->scratch));
  node->data = data;
  (void)kind;
  return TFM_OK;
}

static int32_t load_int(const tfm_tensor *t, int32_t i) {
  switch (t->type) {
    case TFM_INT8: return ((const int8_t *)t->data)[i];
    case TFM_INT16: return ((const int16_t *)t->data)[i];
    default: return ((const int32_t *)t->data)[i];
  }
}

static void store_int(tfm_tensor *t, int32_t i, int32_t v) {
  switch (t->type) {
    case TFM_INT8: ((int8_t *)t->data)[i] = (int8_t)v; break;
    case TFM_INT16: ((int16_t *)t->data)[i] = (int16_t)v; break;
    default: ((int32_t *)t->data)[i] = v; break;
  }
}

tfm_status tfm_reduce_eval(tfm_context *ctx, tfm_node *node, tfm_reduce_kind kind) {
  const reduce_data *data = (const reduce_data *)node->data;
  const tfm_tensor *in = tfm_input(ctx, node, 0);
  const tfm_tensor *axes = tfm_input(ctx, node, 1);
  tfm_tensor *out = tfm_output(ctx, node, 0);
  const int rank = in->rank;
  const int32_t num_axes = tfm_tensor_elements(axes);
  bool reduced[TFM_MAX_DIMS] = {false};
  for (int32_t i = 0; i < num_axes; ++i) {
    const int a = tfm_shape_axis((int32_t)tfm_shape_read_index(axes, i), rank);
    if (a < 0) {
      return tfm_fail(ctx, TFM_BAD_ARGUMENT, "axis %d out of range for rank %d", (int)i, rank);
    }
    reduced[a] = true;
  }
  /* Output stride of every input dim (0 on reduced dims). */
  int32_t ostep[TFM_MAX_DIMS];
  int32_t n = 1, s = 1, num_out = 1;
  for (int d = rank - 1; d >= 0; --d) {
    if (reduced[d]) {
      ostep[d] = 0;
      n *= in->dims[d];
    } else {
      ostep[d] = s;
      s *= in->dims[d];
    }
  }
  num_out = s;
  if (num_out != tfm_tensor_elements(out)) {
    return tfm_fail(ctx, TFM_BAD_ARGUMENT, "output has %ld elements, reduction gives %ld",
                    (long)tfm_tensor_elements(out), (long)num_out);
  }
  const int32_t total = tfm_tensor_elements(in);
  void *scratch = tfm_scratch(ctx, data->scratch);
  float *accf = (float *)scratch;
  int32_t *acc32 = (int32_t *)scratch;
  int64_t *acc64 = (int64_t *)scratch;
  for (int32_t k = 0; k < num_out; ++k) {
    if (in->type == TFM_FLOAT32) accf[k] = 0.0f;
    else if (in->type == TFM_INT32) acc64[k] = 0;
    else acc32[k] = 0;
  }
  int32_t idx[TFM_MAX_DIMS] = {0};
  int32_t o = 0;
  for (int32_t k = 0; k < total; ++k) {
    if (in->type == TFM_FLOAT32) accf[o] += ((const float *)in->data)[k];
    else if (in->type == TFM_INT32) acc64[o] += ((const int32_t *)in->data)[k];
    else acc32[o] += load_int(in, k);
    for (int d = rank - 1; d >= 0; --d) {
      o += ostep[d];
      if (++idx[d] < in->dims[d]) break;
      o -= ostep[d] * in->dims[d];
      idx[d] = 0;
    }
  }
  if (n == 0) n = 1;
  if (in->type == TFM_FLOAT32) {
    for (int32_t k = 0; k < num_out; ++k) {
      ((float *)out->data)[k] = kind == TFM_REDUCE_MEAN ? accf[k] / (float)n : accf[k];
    }
    return TFM_OK;
  }
  if (in->type == TFM_INT32) {
    for (int32_t k = 0; k < num_out; ++k) {
      ((int32_t *)out->data)[k] =
          (int32_t)(kind == TFM_REDUCE_MEAN ? acc64[k] / (int64_t)n : acc64[k]);
    }
    return TFM_OK;
  }
  const int32_t qmin = in->type == TFM_INT8 ? -128 : -32768;
  const int32_t qmax = in->type == TFM_INT8 ? 127 : 32767;
  const int32_t zi = in->zero_point, zo = out->zero_point;
  const float scale = in->scale / out->scale;
  if (kind == TFM_REDUCE_SUM) {
    /* TFLite's reference SUM misreads int8/int16 data (tensorflow#102490);
     * this is its optimized kernel's arithmetic, which saturates. */
    const float bias = -(float)zi * scale * (float)n;
    for (int32_t k = 0; k < num_out; ++k) {
      const int32_t v = tfm_round_to_i32((float)acc32[k] * scale + bias, zo);
      store_int(out, k, tfm_clamp_i32(v, qmin, qmax));
    }
    return TFM_OK;
  }
  int32_t mult = data->mean_multiplier;
  int shift = data->mean_shift;
  if (data->mean_n != n) fold_mean(data->multiplier, data->shift, n, &mult, &shift);
  for (int32_t k = 0; k < num_out; ++k) {
    const int32_t v = tfm_multiply_by_quantized_multiplier(acc32[k] - zi * n, mult, shift) + zo;
    store_int(out, k, tfm_clamp_i32(v, qmin, qmax));
  }
  return TFM_OK;
}
