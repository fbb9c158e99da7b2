#include "common/compare_common.h"

#include "internal/quant.h"

static tfm_status two_in_one_out(tfm_context *ctx, const tfm_node *node, const char *op,
                                 const tfm_tensor **in1, const tfm_tensor **in2,
                                 const tfm_tensor **out) {
  if (node->num_inputs != 2 || node->num_outputs != 1) {
    return tfm_fail(ctx, TFM_BAD_MODEL, "%s: expects 2 inputs and 1 output, got %d and %d", op,
                    node->num_inputs, node->num_outputs);
  }
  *in1 = tfm_input(ctx, node, 0);
  *in2 = tfm_input(ctx, node, 1);
  *out = tfm_output(ctx, node, 0);
  if (!*in1 || !*in2 || !*out) return tfm_fail(ctx, TFM_BAD_MODEL, "%s: missing input or output", op);
  if ((*out)->type != TFM_BOOL) {
    return tfm_fail(ctx, TFM_BAD_MODEL, "%s: output type %s, must be BOOL", op,
                    tfm_type_name((tfm_type)(*out)->type));
  }
  return TFM_OK;
}

/* TFLite's QuantizeMultiplierSmallerThanOneExp of an input scale. */
static tfm_status input_multiplier(tfm_context *ctx, const char *op, int which,
                                   const tfm_tensor *t, int32_t *multiplier, int *shift) {
  if (!(t->scale > 0.0f && t->scale < 1.0f)) {
    /* TFLite's scaled comparison only handles scales below 1. */
    return tfm_fail(ctx, TFM_UNSUPPORTED, "%s: input %d scale %f not supported (needs 0 < scale < 1)",
                    op, which, (double)t->scale);
  }
  tfm_quantize_multiplier((double)t->scale, multiplier, shift);
  return TFM_OK;
}

tfm_status tfm_compare_prepare(tfm_context *ctx, tfm_node *node, const char *op,
                               const int *types) {
  const tfm_tensor *in1, *in2, *out;
  TFM_TRY(two_in_one_out(ctx, node, op, &in1, &in2, &out));
  bool ok = false;
  for (const int *t = types; *t >= 0; ++t) ok = ok || *t == in1->type;
  if (!ok || in1->type != in2->type) {
    return tfm_fail(ctx, TFM_UNSUPPORTED, "%s: input types %s and %s not supported", op,
                    tfm_type_name((tfm_type)in1->type), tfm_type_name((tfm_type)in2->type));
  }
  tfm_compare_data *d;
  TFM_TRY(tfm_alloc_persistent(ctx, sizeof(*d), (void **)&d));
  TFM_TRY(tfm_bcast_prepare(ctx, op, in1, in2, out, &d->bc));
  if (in1->type == TFM_INT8 || in1->type == TFM_UINT8) {
    d->in1_offset = -in1->zero_point;
    d->in2_offset = -in2->zero_point;
    TFM_TRY(input_multiplier(ctx, op, 0, in1, &d->in1_multiplier, &d->in1_shift));
    TFM_TRY(input_multiplier(ctx, op, 1, in2, &d->in2_multiplier, &d->in2_shift));
  }
  node->data = d;
  return TFM_OK;
}

/* 0 less, 1 equal, 2 greater, 3 unordered. */
#define CMP_CLASS(a, b) ((a) < (b) ? 0 : (a) == (b) ? 1 : (a) > (b) ? 2 : 3)

#define CMP_LOOP(T, LOAD)                                                      \
  do {                                                                         \
    const T *a_ = (const T *)in1->data, *b_ = (const T *)in2->data;            \
    for (int32_t i = 0; i < d->bc.count; ++i, tfm_bcast_next(&d->bc, &it)) {   \
      const T x1_ = a_[it.off1], x2_ = b_[it.off2];                            \
      LOAD;                                                                    \
      y[i] = (mask >> CMP_CLASS(v1, v2)) & 1u;                                 \
    }                                                                          \
  } while (0)

/* (x + offset) << 8, rescaled by the input's multiplier (shift <= 0). */
static inline int32_t scaled(int32_t x, int32_t offset, int32_t multiplier, int shift) {
  return tfm_multiply_by_quantized_multiplier((x + offset) * 256, multiplier, shift);
}

tfm_status tfm_compare_eval(tfm_context *ctx, tfm_node *node, unsigned mask) {
  const tfm_compare_data *d = (const tfm_compare_data *)node->data;
  const tfm_tensor *in1 = tfm_input(ctx, node, 0);
  const tfm_tensor *in2 = tfm_input(ctx, node, 1);
  bool *y = (bool *)tfm_output(ctx, node, 0)->data;
  tfm_bcast_it it;
  tfm_bcast_begin(&it);
  switch (in1->type) {
    case TFM_BOOL:
      CMP_LOOP(uint8_t, const int v1 = x1_ != 0; const int v2 = x2_ != 0);
      break;
    case TFM_FLOAT32: CMP_LOOP(float, const float v1 = x1_; const float v2 = x2_); break;
    case TFM_INT16: CMP_LOOP(int16_t, const int32_t v1 = x1_; const int32_t v2 = x2_); break;
    case TFM_INT32: CMP_LOOP(int32_t, const int32_t v1 = x1_; const int32_t v2 = x2_); break;
    case TFM_INT64: CMP_LOOP(int64_t, const int64_t v1 = x1_; const int64_t v2 = x2_); break;
    case TFM_INT8:
      CMP_LOOP(int8_t,
               const int32_t v1 = scaled(x1_, d->in1_offset, d->in1_multiplier, d->in1_shift);
               const int32_t v2 = scaled(x2_, d->in2_offset, d->in2_multiplier, d->in2_shift));
      break;
    case TFM_UINT8:
      CMP_LOOP(uint8_t,
               const int32_t v1 = scaled(x1_, d->in1_offset, d->in1_multiplier, d->in1_shift);
               const int32_t v2 = scaled(x2_, d->in2_offset, d->in2_multiplier, d->in2_shift));
      break;
    default:
      return tfm_fail(ctx, TFM_UNSUPPORTED, "type %s not supported",
                      tfm_type_name((tfm_type)in1->type));
  }
  return TFM_OK;
}

tfm_status tfm_logical_prepare(tfm_context *ctx, tfm_node *node, const char *op) {
  const tfm_tensor *in1, *in2, *out;
  TFM_TRY(two_in_one_out(ctx, node, op, &in1, &in2, &out));
  if (in1->type != TFM_BOOL || in2->type != TFM_BOOL) {
    return tfm_fail(ctx, TFM_UNSUPPORTED, "%s: input types %s and %s not supported (needs BOOL)",
                    op, tfm_type_name((tfm_type)in1->type), tfm_type_name((tfm_type)in2->type));
  }
  tfm_bcast *bc;
  TFM_TRY(tfm_alloc_persistent(ctx, sizeof(*bc), (void **)&bc));
  TFM_TRY(tfm_bcast_prepare(ctx, op, in1, in2, out, bc));
  node->data = bc;
  return TFM_OK;
}

tfm_status tfm_logical_eval(tfm_context *ctx, tfm_node *node, bool is_and) {
  const tfm_bcast *bc = (const tfm_bcast *)node->data;
  const tfm_tensor *in1 = tfm_input(ctx, node, 0);
  const tfm_tensor *in2 = tfm_input(ctx, node, 1);
  tfm_tensor *o = tfm_output(ctx, node, 0);
  tfm_bcast_it it;
  tfm_bcast_begin(&it);
  if (is_and) {
    TFM_BCAST_LOOP(uint8_t, bc, it, in1, in2, o, y[i] = (uint8_t)(x1 != 0 && x2 != 0));
  } else {
    TFM_BCAST_LOOP(uint8_t, bc, it, in1, in2, o, y[i] = (uint8_t)(x1 != 0 || x2 != 0));
  }
  return TFM_OK;
}
