/* SVDF: a fully connected layer factored into feature and time filters, with
 * a memory of the last `memory_size` feature activations per filter in the
 * variable activation-state tensor (TFLite's reference_ops EvalFloatSVDF /
 * EvalIntegerSVDF). Inputs: input [batch, input_size], weights_feature
 * [filters, input_size], weights_time [filters, memory_size], bias [units]
 * (optional), activation_state [batch, memory_size * filters] (variable);
 * options rank (offset 4), fused_activation_function (6). units = filters /
 * rank. Per invoke:
 *   state[b][f][memory - 1] = features (input . weights_feature[f]),
 *   scratch[b][f] = state[b][f][:] . weights_time[f][:],
 *   out[b][u] = bias[u] + sum of scratch[b][u * rank ... + rank - 1], activation,
 *   then each state row shifts left by one (0 enters).
 * float32: float sums in TFLite's order (the feature products as its x86
 * build's four partial sums: bit-exact); activation NONE, RELU, RELU_N1_TO_1,
 * RELU6. int8 (weights_time and state int16, bias int32, state zero point
 * 0): features rescaled by input_scale * feature_scale / state_scale and
 * clamped to int16, outputs by state_scale * time_scale / output_scale. As
 * TFLite, int8 requires fused activation RELU and then does not apply it
 * (outputs below the zero point stay): a TFLite quirk matched bit for bit.
 * Hybrid (FLOAT32 input, bias, state and output; INT8 weights_feature and
 * weights_time, per tensor): TFLite's EvalHybridSVDF. Each batch row of the
 * input is quantized to int8 (symmetric, or asymmetric with the option at
 * offset 8), the feature products are int32 sums (minus row sum * zero
 * point) times input_scale * feature_scale in float; weights_time are
 * dequantized once (q * scale in float) and the rest is the float path in
 * TFLite's order (out = bias + the sum of the rank's time products). An all-zero
 * input (the whole batch) skips the quantization: features are 0. */
#include "common/svdf.h"

#include "internal/hybrid_quant.h"
#include "internal/quant.h"
#include "tfm/kernels.h"

typedef struct svdf_data {
  int32_t batch, input_size, filters, memory, rank, units;
  int scratch;         /* [batch, filters] float or int32 */
  int32_t s1_multiplier, s2_multiplier;
  int s1_shift, s2_shift;
  int32_t input_zp, output_zp;
  float act_min, act_max;
  bool hybrid, asymmetric;
  float feature_scale;     /* hybrid: weights_feature scale */
  float *time_weights;     /* hybrid: dequantized weights_time [filters, memory] */
  int32_t *row_sums;       /* hybrid: weights_feature row sums [filters] */
} svdf_data;

/* Hybrid: float copies of weights_time and the int8 feature row sums, as
 * TFLite prepares them on its first eval. */
static tfm_status prepare_hybrid(tfm_context *ctx, svdf_data *d, const tfm_tensor *wf,
                                 const tfm_tensor *wt) {
  tfm_quant qf, qt;
  TFM_TRY(tfm_tensor_quant(ctx, wf, &qf));
  TFM_TRY(tfm_tensor_quant(ctx, wt, &qt));
  if (qf.count != 1 || qt.count != 1 || !(wf->scale > 0.0f) || !(wt->scale > 0.0f)) {
    return tfm_fail(ctx, TFM_UNSUPPORTED, "hybrid weights need one positive scale each "
                    "(per-tensor quantization)");
  }
  d->hybrid = true;
  d->feature_scale = wf->scale;
  const size_t n_time = (size_t)d->filters * d->memory;
  TFM_TRY(tfm_alloc_persistent(ctx, n_time * sizeof(float), (void **)&d->time_weights));
  TFM_TRY(tfm_alloc_persistent(ctx, (size_t)d->filters * sizeof(int32_t), (void **)&d->row_sums));
  const int8_t *t = (const int8_t *)wt->data, *f = (const int8_t *)wf->data;
  for (size_t i = 0; i < n_time; ++i) d->time_weights[i] = (float)t[i] * wt->scale;
  for (int32_t r = 0; r < d->filters; ++r) {
    int32_t sum = 0;
    for (int32_t c = 0; c < d->input_size; ++c) sum += f[(size_t)r * d->input_size + c];
    d->row_sums[r] = sum;
  }
  return TFM_OK;
}

tfm_status tfm_svdf_prepare(tfm_context *ctx, tfm_node *node) {
  if (node->num_inputs != 5 || node->num_outputs != 1) {
    return tfm_fail(ctx, TFM_BAD_MODEL, "expects 5 inputs and 1 output, got %d and %d",
                    node->num_inputs, node->num_outputs);
  }
  const tfm_tensor *in = tfm_input(ctx, node, 0), *wf = tfm_input(ctx, node, 1);
  const tfm_tensor *wt = tfm_input(ctx, node, 2), *bias = tfm_input(ctx, node, 3);
  const tfm_tensor *state = tfm_input(ctx, node, 4), *out = tfm_output(ctx, node, 0);
  if (!in || !wf || !wt || !state || !out) return tfm_fail(ctx, TFM_BAD_MODEL, "missing tensor");
  if (in->rank != 2 || wf->rank != 2 || wt->rank != 2 || state->rank != 2 || out->rank != 2) {
    return tfm_fail(ctx, TFM_BAD_MODEL, "input, weights, state and output must be 2-D");
  }
  if (!(state->flags & TFM_TENSOR_VARIABLE)) {
    return tfm_fail(ctx, TFM_BAD_MODEL, "activation state must be a variable tensor");
  }
  svdf_data *d;
  TFM_TRY(tfm_alloc_persistent(ctx, sizeof(*d), (void **)&d));
  d->batch = in->dims[0];
  d->input_size = in->dims[1];
  d->filters = wf->dims[0];
  d->memory = wt->dims[1];
  d->rank = tfm_opt_i32(node, 4, 0);
  if (d->rank < 1 || d->filters % d->rank != 0) {
    return tfm_fail(ctx, TFM_BAD_MODEL, "rank %d does not divide %d filters", d->rank, d->filters);
  }
  d->units = d->filters / d->rank;
  if (wf->dims[1] != d->input_size || wt->dims[0] != d->filters || d->memory < 1 ||
      state->dims[0] != d->batch || state->dims[1] != d->memory * d->filters ||
      out->dims[0] != d->batch || out->dims[1] != d->units ||
      (bias && (bias->rank != 1 || bias->dims[0] != d->units))) {
    return tfm_fail(ctx, TFM_BAD_MODEL, "shapes do not fit batch %d, input %d, filters %d, "
                    "memory %d, units %d", d->batch, d->input_size, d->filters, d->memory, d->units);
  }
  const int act = tfm_opt_i8(node, 6, TFM_ACT_NONE);
  if (in->type == TFM_FLOAT32) {
    const bool hybrid = wf->type == TFM_INT8 && wt->type == TFM_INT8;
    if ((!hybrid && (wf->type != TFM_FLOAT32 || wt->type != TFM_FLOAT32)) ||
        state->type != TFM_FLOAT32 || out->type != TFM_FLOAT32 ||
        (bias && bias->type != TFM_FLOAT32)) {
      return tfm_fail(ctx, TFM_UNSUPPORTED, "FLOAT32 input needs FLOAT32 (or both INT8, hybrid) "
                      "weights and FLOAT32 bias, state, output");
    }
    if (hybrid && (!(wf->flags & TFM_TENSOR_CONSTANT) || !(wt->flags & TFM_TENSOR_CONSTANT))) {
      return tfm_fail(ctx, TFM_UNSUPPORTED, "hybrid weights must be constant");
    }
    if (hybrid) TFM_TRY(prepare_hybrid(ctx, d, wf, wt));
    d->asymmetric = tfm_opt_bool(node, 8, false);
    if (act != TFM_ACT_NONE && act != TFM_ACT_RELU && act != TFM_ACT_RELU6 &&
        act != TFM_ACT_RELU_N1_TO_1) {
      return tfm_fail(ctx, TFM_UNSUPPORTED, "fused activation %d not supported", act);
    }
    tfm_activation_range_float(act, &d->act_min, &d->act_max);
  } else if (in->type == TFM_INT8) {
    if (wf->type != TFM_INT8 || wt->type != TFM_INT16 || state->type != TFM_INT16 ||
        out->type != TFM_INT8 || (bias && bias->type != TFM_INT32)) {
      return tfm_fail(ctx, TFM_UNSUPPORTED, "INT8 input needs INT8 weights_feature, INT16 "
                      "weights_time and state, INT32 bias, INT8 output");
    }
    if (!(in->scale > 0.0f && wf->scale > 0.0f && wt->scale > 0.0f && state->scale > 0.0f &&
          out->scale > 0.0f)) {
      return tfm_fail(ctx, TFM_BAD_MODEL, "quantized tensors need positive scales");
    }
    if (act != TFM_ACT_RELU) {
      return tfm_fail(ctx, TFM_UNSUPPORTED, "INT8 needs fused activation RELU (as TFLite), got %d",
                      act);
    }
    if (state->zero_point != 0) {
      return tfm_fail(ctx, TFM_UNSUPPORTED, "state zero point %d not supported (needs 0)",
                      state->zero_point);
    }
    /* float products and quotient, widened afterwards: as TFLite */
    tfm_quantize_multiplier((double)(in->scale * wf->scale / state->scale), &d->s1_multiplier,
                            &d->s1_shift);
    tfm_quantize_multiplier((double)(state->scale * wt->scale / out->scale), &d->s2_multiplier,
                            &d->s2_shift);
    d->input_zp = in->zero_point;
    d->output_zp = out->zero_point;
  } else {
    return tfm_fail(ctx, TFM_UNSUPPORTED, "input type %s not supported",
                    tfm_type_name((tfm_type)in->type));
  }
  /* [batch, filters] float/int32; hybrid adds per-row scale and zero point and
   * the quantized input */
  const size_t extra = d->hybrid ? (size_t)d->batch * (8 + d->input_size) : 0;
  TFM_TRY(tfm_request_scratch(ctx, (size_t)d->batch * d->filters * 4 + extra, &d->scratch));
  node->data = d;
  return TFM_OK;
}

/* LiteRT's float feature products (its x86 MatrixBatchVectorMultiplyAccumulate):
 * four partial sums over k % 4, added in lane order, then the remaining
 * products one by one. Bit-exact with it; the time products are sequential. */
static float dot4(const float *a, const float *b, int32_t n) {
  float lane[4] = {0.0f, 0.0f, 0.0f, 0.0f};
  int32_t k = 0;
  for (; k + 4 <= n; k += 4) {
    for (int l = 0; l < 4; ++l) lane[l] += a[k + l] * b[k + l];
  }
  float sum = 0.0f;
  for (int l = 0; l < 4; ++l) sum += lane[l];
  for (; k < n; ++k) sum += a[k] * b[k];
  return sum;
}

static void eval_float(const svdf_data *d, const float *in, const float *wf, const float *wt,
                       const float *bias, float *state, float *scratch, float *out) {
  const int32_t mem = d->memory;
  for (int32_t b = 0; b < d->batch; ++b) {
    for (int32_t f = 0; f < d->filters; ++f) {
      float *row = state + ((size_t)b * d->filters + f) * mem;
      const float dot = dot4(wf + (size_t)f * d->input_size, in + (size_t)b * d->input_size,
                             d->input_size);
      row[mem - 1] = 0.0f;
      row[mem - 1] += dot;
      float t = 0.0f;
      for (int32_t m = 0; m < mem; ++m) t += wt[(size_t)f * mem + m] * row[m];
      scratch[(size_t)b * d->filters + f] = t;
    }
    for (int32_t u = 0; u < d->units; ++u) {
      float sum = 0.0f;
      for (int32_t r = 0; r < d->rank; ++r) sum += scratch[(size_t)b * d->filters + u * d->rank + r];
      float v = bias ? bias[u] : 0.0f;
      v += sum;
      out[(size_t)b * d->units + u] = tfm_clamp_f32(v, d->act_min, d->act_max);
    }
  }
}

static void eval_int8(const svdf_data *d, const int8_t *in, const int8_t *wf, const int16_t *wt,
                      const int32_t *bias, int16_t *state, int32_t *scratch, int8_t *out) {
  const int32_t mem = d->memory;
  for (int32_t b = 0; b < d->batch; ++b) {
    for (int32_t f = 0; f < d->filters; ++f) {
      int16_t *row = state + ((size_t)b * d->filters + f) * mem;
      int32_t dot = 0;
      for (int32_t c = 0; c < d->input_size; ++c) {
        dot = tfm_add_wrap_i32(dot, wf[(size_t)f * d->input_size + c] *
                                        (in[(size_t)b * d->input_size + c] - d->input_zp));
      }
      dot = tfm_multiply_by_quantized_multiplier(dot, d->s1_multiplier, d->s1_shift);
      row[mem - 1] = (int16_t)tfm_clamp_i32(dot, -32768, 32767);
      int32_t t = 0;
      for (int32_t m = 0; m < mem; ++m) t = tfm_add_wrap_i32(t, wt[(size_t)f * mem + m] * row[m]);
      scratch[(size_t)b * d->filters + f] = t;
    }
    for (int32_t u = 0; u < d->units; ++u) {
      int32_t sum = 0;
      for (int32_t r = 0; r < d->rank; ++r) {
        sum = tfm_add_wrap_i32(sum, scratch[(size_t)b * d->filters + u * d->rank + r]);
      }
      const int32_t v = tfm_add_wrap_i32(bias ? bias[u] : 0, sum);
      const int32_t q = tfm_multiply_by_quantized_multiplier(v, d->s2_multiplier, d->s2_shift);
      out[(size_t)b * d->units + u] = (int8_t)tfm_clamp_i32(tfm_add_wrap_i32(q, d->output_zp), -128, 127);
    }
  }
}

/* TFLite's EvalHybridSVDF after its state shift (ours shifts afterwards, as
 * the other paths: the state the time weights see is the same). */
static void eval_hybrid(const svdf_data *d, const float *in, const int8_t *wf, const float *bias,
                        float *state, float *scratch, float *out) {
  const int32_t mem = d->memory, nf = d->filters;
  float *scales = scratch + (size_t)d->batch * nf;
  int32_t *zps = (int32_t *)(scales + d->batch);
  int8_t *q = (int8_t *)(zps + d->batch);
  for (int32_t i = 0; i < d->batch * nf; ++i) scratch[i] = 0.0f;
  bool all_zero = true;
  for (int32_t i = 0; i < d->batch * d->input_size && all_zero; ++i) all_zero = in[i] == 0.0f;
  if (!all_zero) {
    for (int32_t b = 0; b < d->batch; ++b) {
      const size_t off = (size_t)b * d->input_size;
      tfm_hybrid_quantize_row(in + off, d->input_size, d->asymmetric, q + off, &scales[b],
                              &zps[b]);
      scales[b] *= d->feature_scale;
      for (int32_t f = 0; f < nf; ++f) {
        int32_t dot = 0;
        for (int32_t c = 0; c < d->input_size; ++c) {
          dot += wf[(size_t)f * d->input_size + c] * q[off + c];
        }
        if (d->asymmetric) dot -= d->row_sums[f] * zps[b];
        scratch[(size_t)b * nf + f] += (float)dot * scales[b];
      }
    }
  }
  for (int32_t i = 0; i < d->batch * nf; ++i) state[(size_t)i * mem + mem - 1] = scratch[i];
  for (int32_t i = 0; i < d->batch * nf; ++i) {
    const float *w = d->time_weights + (size_t)(i % nf) * mem, *row = state + (size_t)i * mem;
    float t = 0.0f;
    for (int32_t m = 0; m < mem; ++m) t += w[m] * row[m];
    scratch[i] = t;
  }
  for (int32_t b = 0; b < d->batch; ++b) {
    for (int32_t u = 0; u < d->units; ++u) {
      float sum = 0.0f; /* ReductionSumVector: the rank's sum, then onto the bias */
      for (int32_t r = 0; r < d->rank; ++r) sum += scratch[(size_t)b * nf + u * d->rank + r];
      float v = bias ? bias[u] : 0.0f;
      v += sum;
      out[(size_t)b * d->units + u] = tfm_clamp_f32(v, d->act_min, d->act_max);
    }
  }
}

/* Each state row moves left by one; 0 enters at the end. */
#define SHIFT_STATE(T)                                                          \
  do {                                                                          \
    T *s_ = (T *)state->data;                                                   \
    for (int32_t row = 0; row < d->batch * d->filters; ++row, s_ += d->memory) { \
      for (int32_t m = 0; m + 1 < d->memory; ++m) s_[m] = s_[m + 1];            \
      s_[d->memory - 1] = 0;                                                    \
    }                                                                           \
  } while (0)

tfm_status tfm_svdf_eval_reference(tfm_context *ctx, tfm_node *node) {
  const svdf_data *d = (const svdf_data *)node->data;
  const tfm_tensor *in = tfm_input(ctx, node, 0), *wf = tfm_input(ctx, node, 1);
  const tfm_tensor *wt = tfm_input(ctx, node, 2), *bias = tfm_input(ctx, node, 3);
  tfm_tensor *state = tfm_input(ctx, node, 4), *out = tfm_output(ctx, node, 0);
  void *scratch = tfm_scratch(ctx, d->scratch);
  if (d->hybrid) {
    eval_hybrid(d, (const float *)in->data, (const int8_t *)wf->data,
                bias ? (const float *)bias->data : NULL, (float *)state->data, (float *)scratch,
                (float *)out->data);
    SHIFT_STATE(float);
  } else if (in->type == TFM_FLOAT32) {
    eval_float(d, (const float *)in->data, (const float *)wf->data, (const float *)wt->data,
               bias ? (const float *)bias->data : NULL, (float *)state->data, (float *)scratch,
               (float *)out->data);
    SHIFT_STATE(float);
  } else {
    eval_int8(d, (const int8_t *)in->data, (const int8_t *)wf->data, (const int16_t *)wt->data,
              bias ? (const int32_t *)bias->data : NULL, (int16_t *)state->data,
              (int32_t *)scratch, (int8_t *)out->data);
    SHIFT_STATE(int16_t);
  }
  return TFM_OK;
}
