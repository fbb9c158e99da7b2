/* FULLY_CONNECTED shared pieces: prepare and the reference eval (see
 * common/fully_connected.h). */
#include "common/fully_connected.h"

#include "common/conv_common.h"
#include "internal/quant.h"

/* FullyConnectedOptions vtable offsets. */
enum { OPT_ACTIVATION = 4, OPT_WEIGHTS_FORMAT = 6, OPT_KEEP_NUM_DIMS = 8 };

static tfm_status check_types(tfm_context *ctx, const tfm_tensor *in, const tfm_tensor *w,
                              const tfm_tensor *bias, const tfm_tensor *out) {
  bool ok;
  switch (in->type) {
    case TFM_FLOAT32:
      ok = w->type == TFM_FLOAT32 && out->type == TFM_FLOAT32 &&
           (!bias || bias->type == TFM_FLOAT32);
      break;
    case TFM_INT8:
      ok = w->type == TFM_INT8 && out->type == TFM_INT8 && (!bias || bias->type == TFM_INT32);
      break;
    case TFM_INT16:
      ok = w->type == TFM_INT8 && out->type == TFM_INT16 &&
           (!bias || bias->type == TFM_INT64);
      break;
    default:
      ok = false;
      break;
  }
  if (!ok) {
    return tfm_fail(ctx, TFM_UNSUPPORTED, "input %s, weights %s, bias %s, output %s not supported",
                    tfm_type_name((tfm_type)in->type), tfm_type_name((tfm_type)w->type),
                    bias ? tfm_type_name((tfm_type)bias->type) : "none",
                    tfm_type_name((tfm_type)out->type));
  }
  if (in->type == TFM_INT16 && (in->zero_point != 0 || out->zero_point != 0)) {
    return tfm_fail(ctx, TFM_UNSUPPORTED, "INT16 input/output zero points must be 0 (got %ld, %ld)",
                    (long)in->zero_point, (long)out->zero_point);
  }
  return TFM_OK;
}

static tfm_status quant_params(tfm_context *ctx, const tfm_tensor *in, const tfm_tensor *w,
                               const tfm_tensor *out, int activation, const int32_t *given_m,
                               const int32_t *given_s, TfmFullyConnectedData *d) {
  if (in->type == TFM_FLOAT32) {
    tfm_activation_range_float(activation, &d->act_min_f, &d->act_max_f);
    return TFM_OK;
  }
#if !(defined(TFM_OFFLINE_PREP) && TFM_OFFLINE_PREP)
  /* only images with an offline prep table pass parameters: none here, so the
   * compiler drops the branches below (no flash for other images) */
  given_m = NULL;
  given_s = NULL;
#endif
  tfm_quant q;
  TFM_TRY(tfm_tensor_quant(ctx, w, &q));
  if (q.count != 1 && q.count != d->units) {
    return tfm_fail(ctx, TFM_BAD_MODEL, "weights have %ld scales for %ld units", (long)q.count,
                    (long)d->units);
  }
  if (q.count > 1 && q.quantized_dimension != 0) {
    return tfm_fail(ctx, TFM_UNSUPPORTED, "weights quantized along dimension %ld, expected 0",
                    (long)q.quantized_dimension);
  }
  if (in->scale <= 0.0f || out->scale <= 0.0f) {
    return tfm_fail(ctx, TFM_BAD_MODEL, "input/output scale missing");
  }
  d->channels = q.count;
  if (given_m != NULL && q.count > 1) {
    /* read-only from here on: eval never writes them */
    d->multiplier = (int32_t *)(uintptr_t)given_m;
    d->shift = (int32_t *)(uintptr_t)given_s;
  } else if (q.count > 1) {
    void *p = NULL; /* multipliers, then shifts */
    TFM_TRY(tfm_alloc_persistent(ctx, 2 * (size_t)q.count * sizeof(int32_t), &p));
    d->multiplier = (int32_t *)p;
    d->shift = d->multiplier + q.count;
  } else {
    d->multiplier = &d->multiplier0;
    d->shift = &d->shift0;
  }
  if (given_m != NULL && q.count == 1) d->multiplier0 = given_m[0], d->shift0 = given_s[0];
  for (int32_t c = 0; c < q.count && given_m == NULL; ++c) {
    const float ws = tfm_quant_scale(&q, c);
    /* Per-tensor: product in float, as TFLite; per-channel: in double. */
    const double real = q.count == 1 ? (double)(in->scale * ws) / (double)out->scale
                                     : (double)in->scale * (double)ws / (double)out->scale;
    int shift = 0;
    tfm_quantize_multiplier(real, &d->multiplier[c], &shift);
    d->shift[c] = shift;
  }
  d->input_offset = -in->zero_point;
  d->weights_offset = q.count == 1 ? -w->zero_point : 0;
  d->output_offset = out->zero_point;
  tfm_activation_range_quantized(activation, (tfm_type)out->type, out->scale, out->zero_point,
                                 &d->act_min, &d->act_max);
  return TFM_OK;
}

tfm_status tfm_fully_connected_prepare(tfm_context *ctx, tfm_node *node) {
  return tfm_fully_connected_prepare_with(ctx, node, NULL, NULL);
}

tfm_status tfm_fully_connected_prepare_with(tfm_context *ctx, tfm_node *node,
                                            const int32_t *multiplier, const int32_t *shift) {
  if (node->num_inputs < 2 || node->num_inputs > 3 || node->num_outputs != 1) {
    return tfm_fail(ctx, TFM_BAD_MODEL, "needs 2-3 inputs and 1 output, has %d and %d",
                    (int)node->num_inputs, (int)node->num_outputs);
  }
  const tfm_tensor *in = tfm_input(ctx, node, 0);
  const tfm_tensor *w = tfm_input(ctx, node, 1);
  const tfm_tensor *bias = node->num_inputs == 3 ? tfm_input(ctx, node, 2) : NULL;
  const tfm_tensor *out = tfm_output(ctx, node, 0);
  TFM_ENSURE(ctx, in != NULL && w != NULL && out != NULL);
  TFM_TRY(check_types(ctx, in, w, bias, out));
  if (tfm_opt_i8(node, OPT_WEIGHTS_FORMAT, 0) != 0) {
    return tfm_fail(ctx, TFM_UNSUPPORTED, "weights_format %ld not supported (DEFAULT only)",
                    (long)tfm_opt_i8(node, OPT_WEIGHTS_FORMAT, 0));
  }
  const int activation = tfm_opt_i8(node, OPT_ACTIVATION, 0);
  if (activation != TFM_ACT_NONE && activation != TFM_ACT_RELU && activation != TFM_ACT_RELU6 &&
      activation != TFM_ACT_RELU_N1_TO_1) {
    return tfm_fail(ctx, TFM_UNSUPPORTED, "fused activation %d not supported", activation);
  }
  if (w->rank != 2) {
    return tfm_fail(ctx, TFM_BAD_MODEL, "weights must be 2-D (are %d-D)", (int)w->rank);
  }
  void *p = NULL;
  TFM_TRY(tfm_alloc_persistent(ctx, sizeof(TfmFullyConnectedData), &p));
  TfmFullyConnectedData *d = (TfmFullyConnectedData *)p;
  node->data = d;
  d->units = w->dims[0];
  d->depth = w->dims[1];
  const int32_t n_in = tfm_tensor_elements(in);
  if (d->depth <= 0 || n_in % d->depth != 0) {
    return tfm_fail(ctx, TFM_BAD_MODEL, "input has %ld elements, not a multiple of depth %ld",
                    (long)n_in, (long)d->depth);
  }
  d->batches = n_in / d->depth;
  if (out->rank < 1 || tfm_tensor_dim(out, -1) != d->units ||
      tfm_tensor_elements(out) != (int64_t)d->batches * d->units) {
    return tfm_fail(ctx, TFM_BAD_MODEL, "output must hold %ld x %ld elements (has %ld, last dim "
                    "%ld)", (long)d->batches, (long)d->units, (long)tfm_tensor_elements(out),
                    (long)tfm_tensor_dim(out, -1));
  }
  if (bias && tfm_tensor_elements(bias) != d->units) {
    return tfm_fail(ctx, TFM_BAD_MODEL, "bias has %ld elements, expected %ld",
                    (long)tfm_tensor_elements(bias), (long)d->units);
  }
  return quant_params(ctx, in, w, out, activation, multiplier, shift, d);
}

/* Dot products of one input row with one weights row (float keeps TFLite's
 * summation order); kept out of line so the loop runs in registers. */
static TFM_NOINLINE float dot_f32(const float *x, const float *w, int32_t n) {
  float total = 0.0f;
  for (int32_t k = 0; k < n; ++k) total += x[k] * w[k];
  return total;
}

/* Integer sums wrap (quant.h); each product is exact: 8-bit values plus
 * 8-bit zero points are within +-255, int16 inputs times those within 2^23. */
static TFM_NOINLINE int32_t dot_s8(const int8_t *x, const int8_t *w, int32_t n, int32_t x_offset,
                                   int32_t w_offset) {
  uint32_t acc = 0;
  for (int32_t k = 0; k < n; ++k) acc += (uint32_t)((w[k] + w_offset) * (x[k] + x_offset));
  return tfm_wrap_i32(acc);
}

static TFM_NOINLINE int64_t dot_s16(const int16_t *x, const int8_t *w, int32_t n,
                                    int32_t w_offset) {
  uint64_t acc = 0;
  for (int32_t k = 0; k < n; ++k) acc += (uint64_t)(int64_t)((w[k] + w_offset) * (int32_t)x[k]);
  return tfm_wrap_i64(acc);
}

static void fc_f32(const TfmFullyConnectedData *d, const float *in, const float *w,
                   const float *bias, float *out) {
  for (int32_t b = 0; b < d->batches; ++b) {
    for (int32_t u = 0; u < d->units; ++u) {
      const float total = dot_f32(in + b * d->depth, w + u * d->depth, d->depth);
      const float bias_value = bias ? bias[u] : 0.0f;
      *out++ = tfm_clamp_f32(total + bias_value, d->act_min_f, d->act_max_f);
    }
  }
}

static void fc_s8(const TfmFullyConnectedData *d, const int8_t *in, const int8_t *w,
                  const int32_t *bias, int8_t *out) {
  const bool per_channel = d->channels > 1;
  for (int32_t b = 0; b < d->batches; ++b) {
    for (int32_t u = 0; u < d->units; ++u) {
      int32_t acc = dot_s8(in + b * d->depth, w + u * d->depth, d->depth, d->input_offset,
                           d->weights_offset);
      if (bias) acc = tfm_add_wrap_i32(acc, bias[u]);
      const int32_t c = per_channel ? u : 0;
      /* LiteRT's int8 FULLY_CONNECTED rescales with single rounding (see quant.h). */
      acc = tfm_multiply_by_quantized_multiplier_single(acc, d->multiplier[c], d->shift[c]);
      acc = tfm_add_wrap_i32(acc, d->output_offset);
      *out++ = (int8_t)tfm_clamp_i32(acc, d->act_min, d->act_max);
    }
  }
}

static void fc_s16(const TfmFullyConnectedData *d, const int16_t *in, const int8_t *w,
                   const int64_t *bias, int16_t *out) {
  const bool per_channel = d->channels > 1;
  for (int32_t b = 0; b < d->batches; ++b) {
    for (int32_t u = 0; u < d->units; ++u) {
      int64_t acc = dot_s16(in + b * d->depth, w + u * d->depth, d->depth, d->weights_offset);
      if (bias) acc = tfm_add_wrap_i64(acc, bias[u]);
      const int32_t c = per_channel ? u : 0;
      /* Unlike 16x8 conv, TFLite's 16x8 FULLY_CONNECTED rescales the accumulator as
       * int32 (the 32-bit MultiplyByQuantizedMultiplier): measured bit-exact. */
      int32_t scaled = tfm_multiply_by_quantized_multiplier(tfm_wrap_i32((uint32_t)acc),
                                                            d->multiplier[c], d->shift[c]);
      scaled = tfm_add_wrap_i32(scaled, d->output_offset);
      *out++ = (int16_t)tfm_clamp_i32(scaled, d->act_min, d->act_max);
    }
  }
}

tfm_status tfm_fully_connected_eval_reference(tfm_context *ctx, tfm_node *node) {
  const TfmFullyConnectedData *d = (const TfmFullyConnectedData *)node->data;
  const tfm_tensor *in = tfm_input(ctx, node, 0);
  const tfm_tensor *w = tfm_input(ctx, node, 1);
  const tfm_tensor *bias = node->num_inputs == 3 ? tfm_input(ctx, node, 2) : NULL;
  tfm_tensor *out = tfm_output(ctx, node, 0);
  switch (in->type) {
    case TFM_FLOAT32:
      fc_f32(d, (const float *)in->data, (const float *)w->data,
             bias ? (const float *)bias->data : NULL, (float *)out->data);
      return TFM_OK;
    case TFM_INT8:
      fc_s8(d, (const int8_t *)in->data, (const int8_t *)w->data,
            bias ? (const int32_t *)bias->data : NULL, (int8_t *)out->data);
      return TFM_OK;
    case TFM_INT16:
      fc_s16(d, (const int16_t *)in->data, (const int8_t *)w->data,
             bias ? (const int64_t *)bias->data : NULL, (int16_t *)out->data);
      return TFM_OK;
    default:
      return tfm_fail(ctx, TFM_UNSUPPORTED, "input type %s not supported",
                      tfm_type_name((tfm_type)in->type));
  }
}
