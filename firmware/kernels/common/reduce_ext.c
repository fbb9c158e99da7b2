#include "common/reduce_ext.h"

#include <float.h>

#include "common/layout_common.h"
#include "common/shape_common.h"
#include "internal/fixedpoint.h"
#include "internal/fmath.h"
#include "internal/quant.h"

tfm_status tfm_reduce_ext_prepare(tfm_context *ctx, tfm_node *node, const char *op,
                                  const int *types, bool same_quant) {
  TFM_TRY(tfm_shape_check_io(ctx, node, 2, 2, 1));
  const tfm_tensor *in = tfm_input(ctx, node, 0);
  const tfm_tensor *out = tfm_output(ctx, node, 0);
  bool ok = false;
  for (const int *t = types; *t >= 0; ++t) ok = ok || *t == in->type;
  if (!ok) {
    return tfm_fail(ctx, TFM_UNSUPPORTED, "%s: type %s not supported", op,
                    tfm_type_name((tfm_type)in->type));
  }
  TFM_TRY(tfm_layout_same_type(ctx, "input", in, "output", out, same_quant));
  if (in->rank > TFM_MAX_DIMS) return tfm_fail(ctx, TFM_UNSUPPORTED, "%s: rank %d not supported", op, in->rank);
  return TFM_OK;
}

static inline int32_t tfm_load_quantized_i(const tfm_tensor *t, int32_t i) {
  return t->type == TFM_INT8 ? ((const int8_t *)t->data)[i] : ((const int16_t *)t->data)[i];
}

/* Output element offsets for each input element: out_step[d] is the output
 * stride of input dim d, 0 for reduced dims. */
static tfm_status out_steps(tfm_context *ctx, const tfm_node *node, const tfm_tensor *in,
                            const tfm_tensor *out, int32_t *steps) {
  int32_t axes[2 * TFM_MAX_DIMS];
  int n;
  TFM_TRY(tfm_layout_read_ints(ctx, "axes", tfm_input(ctx, node, 1), axes, 2 * TFM_MAX_DIMS, &n, 0, 1));
  bool reduced[TFM_MAX_DIMS] = {false};
  for (int k = 0; k < n; ++k) {
    const int a = tfm_shape_axis(axes[k], in->rank);
    if (a < 0) return tfm_fail(ctx, TFM_BAD_ARGUMENT, "axis %d out of range for rank %d", axes[k], in->rank);
    reduced[a] = true;
  }
  int32_t kept = 1;
  for (int d = 0; d < in->rank; ++d) kept *= reduced[d] ? 1 : in->dims[d];
  if (kept != tfm_tensor_elements(out)) {
    return tfm_fail(ctx, TFM_BAD_MODEL, "output has %d elements, the reduction gives %d",
                    tfm_tensor_elements(out), kept);
  }
  int32_t stride = 1;
  for (int d = in->rank - 1; d >= 0; --d) {
    steps[d] = reduced[d] ? 0 : stride;
    stride *= reduced[d] ? 1 : in->dims[d];
  }
  return TFM_OK;
}

#define REDUCE_LOOP(T, INIT, STEP)                                             \
  do {                                                                         \
    const T *x = (const T *)in->data;                                          \
    T *y = (T *)out->data;                                                     \
    for (int32_t j = 0; j < nout; ++j) y[j] = (INIT);                          \
    for (int32_t i = 0; i < nin; ++i) {                                        \
      const T v = x[i];                                                        \
      T *acc = &y[off];                                                        \
      STEP;                                                                    \
      for (int d = rank - 1; d >= 0; --d) {                                    \
        off += steps[d];                                                       \
        if (++idx[d] < in->dims[d]) break;                                     \
        off -= steps[d] * in->dims[d];                                         \
        idx[d] = 0;                                                            \
      }                                                                        \
    }                                                                          \
  } while (0)

#define MAXMIN_STEP (kind == TFM_REDUCE_EXT_MAX ? (v > *acc ? (void)(*acc = v) : (void)0) \
                                                : (v < *acc ? (void)(*acc = v) : (void)0))

tfm_status tfm_reduce_ext_eval(tfm_context *ctx, tfm_node *node, tfm_reduce_ext_kind kind) {
  const tfm_tensor *in = tfm_input(ctx, node, 0);
  tfm_tensor *out = tfm_output(ctx, node, 0);
  int32_t steps[TFM_MAX_DIMS];
  TFM_TRY(out_steps(ctx, node, in, out, steps));
  const int rank = in->rank;
  const int32_t nin = tfm_tensor_elements(in), nout = tfm_tensor_elements(out);
  int32_t idx[TFM_MAX_DIMS] = {0}, off = 0;
  const bool is_max = kind == TFM_REDUCE_EXT_MAX;
  if (kind == TFM_REDUCE_EXT_PROD) {
    switch (in->type) {
      case TFM_FLOAT32: REDUCE_LOOP(float, 1.0f, *acc = *acc * v); break;
      case TFM_INT32: REDUCE_LOOP(int32_t, 1, *acc = tfm_wrap_i32((uint32_t)*acc * (uint32_t)v)); break;
      case TFM_INT64: REDUCE_LOOP(int64_t, 1, *acc = tfm_wrap_i64((uint64_t)*acc * (uint64_t)v)); break;
      default:
        return tfm_fail(ctx, TFM_UNSUPPORTED, "type %s not supported", tfm_type_name((tfm_type)in->type));
    }
    return TFM_OK;
  }
  switch (in->type) {
    case TFM_FLOAT32: REDUCE_LOOP(float, is_max ? -FLT_MAX : FLT_MAX, MAXMIN_STEP); break;
    case TFM_INT8: REDUCE_LOOP(int8_t, is_max ? INT8_MIN : INT8_MAX, MAXMIN_STEP); break;
    case TFM_UINT8: REDUCE_LOOP(uint8_t, is_max ? 0 : UINT8_MAX, MAXMIN_STEP); break;
    case TFM_INT16: REDUCE_LOOP(int16_t, is_max ? INT16_MIN : INT16_MAX, MAXMIN_STEP); break;
    case TFM_INT32: REDUCE_LOOP(int32_t, is_max ? INT32_MIN : INT32_MAX, MAXMIN_STEP); break;
    case TFM_INT64: REDUCE_LOOP(int64_t, is_max ? INT64_MIN : INT64_MAX, MAXMIN_STEP); break;
    default:
      return tfm_fail(ctx, TFM_UNSUPPORTED, "type %s not supported", tfm_type_name((tfm_type)in->type));
  }
  return TFM_OK;
}

typedef struct prod_q_data {
  int32_t multiplier;
  int shift;
  int scratch; /* int32 per output */
} prod_q_data;

tfm_status tfm_reduce_prod_quantized_prepare(tfm_context *ctx, tfm_node *node) {
  const tfm_tensor *in = tfm_input(ctx, node, 0), *out = tfm_output(ctx, node, 0);
  if (!(in->scale > 0.0f) || !(out->scale > 0.0f)) {
    return tfm_fail(ctx, TFM_BAD_MODEL, "REDUCE_PROD: quantized tensors need positive scales");
  }
  if (in->type == TFM_INT16 && (in->zero_point != 0 || out->zero_point != 0)) {
    return tfm_fail(ctx, TFM_UNSUPPORTED, "REDUCE_PROD: INT16 needs zero points of 0");
  }
  const int32_t nout = tfm_tensor_elements(out);
  if (nout == 0) return tfm_fail(ctx, TFM_BAD_MODEL, "REDUCE_PROD: empty output");
  const int32_t n = tfm_tensor_elements(in) / nout;
  prod_q_data *d;
  TFM_TRY(tfm_alloc_persistent(ctx, sizeof(*d), (void **)&d));
  /* input_scale / pow(output_scale, 1 / n) (x^1 is exact, as pow's) */
  const double root = n == 1 ? (double)out->scale
                             : tfm_exp(tfm_log((double)out->scale) * (1.0 / (double)n));
  tfm_quantize_multiplier((double)in->scale / root, &d->multiplier, &d->shift);
  TFM_TRY(tfm_request_scratch(ctx, (size_t)nout * sizeof(int32_t), &d->scratch));
  node->data = d;
  return TFM_OK;
}

tfm_status tfm_reduce_prod_quantized_eval(tfm_context *ctx, tfm_node *node) {
  const prod_q_data *d = (const prod_q_data *)node->data;
  const tfm_tensor *in = tfm_input(ctx, node, 0);
  tfm_tensor *out = tfm_output(ctx, node, 0);
  int32_t steps[TFM_MAX_DIMS];
  TFM_TRY(out_steps(ctx, node, in, out, steps));
  int32_t *acc = (int32_t *)tfm_scratch(ctx, d->scratch);
  const int rank = in->rank;
  const int32_t nin = tfm_tensor_elements(in), nout = tfm_tensor_elements(out);
  const int32_t zp = in->zero_point;
  int32_t idx[TFM_MAX_DIMS] = {0}, off = 0;
  for (int32_t i = 0; i < nin; ++i) {
    const int32_t v = tfm_load_quantized_i(in, i) - zp;
    /* first contribution: every reduced index is 0 (TFLite's IsFirstReduction) */
    bool first = true;
    for (int k = 0; k < rank; ++k) first = first && (steps[k] != 0 || idx[k] == 0);
    acc[off] = first ? v : tfm_multiply_by_quantized_multiplier_64((int64_t)acc[off] * v,
                                                                  d->multiplier, d->shift);
    for (int k = rank - 1; k >= 0; --k) {
      off += steps[k];
      if (++idx[k] < in->dims[k]) break;
      off -= steps[k] * in->dims[k];
      idx[k] = 0;
    }
  }
  const int32_t lo = in->type == TFM_INT8 ? -128 : -32768, hi = in->type == TFM_INT8 ? 127 : 32767;
  for (int32_t j = 0; j < nout; ++j) {
    const int32_t r = tfm_multiply_by_quantized_multiplier_64((int64_t)acc[j], d->multiplier, d->shift);
    const int32_t q = tfm_clamp_i32(tfm_add_wrap_i32(r, out->zero_point), lo, hi);
    if (in->type == TFM_INT8) ((int8_t *)out->data)[j] = (int8_t)q;
    else ((int16_t *)out->data)[j] = (int16_t)q;
  }
  return TFM_OK;
}
