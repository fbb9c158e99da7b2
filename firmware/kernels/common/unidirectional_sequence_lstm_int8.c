/* UNIDIRECTIONAL_SEQUENCE_LSTM, full integer (TFLite's "8x8_16" path): int8
 * input, output and output state h, int16 cell state c with a power-of-two
 * scale 2^cell_scale (cell_scale -15..-9), int8 weights (per tensor, zero
 * point 0), int32 gate biases, int16 peephole weights and layer-norm
 * coefficients, int8 projection weights with an int32 bias. The operator's
 * five intermediates carry the scales TFLite's kernel reads: 0-3 the gate
 * pre-activations (only with layer norm; without, Q3.12 = 2^-12), 4 the
 * hidden value o * tanh(c) (scale and zero point; with projection it is the
 * projection's int8 input).
 *
 * Per time step (a whole batch when time-major, one batch row at a time when
 * batch-major, as TFLite walks them), each gate in int16:
 *   gate = sat16(MBQM(bias' + W_x . x, s_x) + sat16(MBQM(W_h . h + z_h', s_h)))
 *   (+ MBQM(w_c * c, s_c) for peephole), layer norm, then sigmoid (input,
 *   forget, output) or tanh (cell) on Q3.12 -> Q0.15; bias' folds the zero
 *   points (and the gate bias unless layer norm adds it);
 *   c = sat16(round(f * c >> 15) + round(i * g >> (30 + cell_scale))),
 *   i = 1 - f with CIFG, clipped; h = o * tanh(c) rescaled to int8, through
 *   the projection when present (clipped).
 * TFLite's integer path always uses tanh for the cell gate and for h,
 * whatever fused_activation_function says; ours does the same. Its peephole
 * step walks n_output elements per batch row (not n_cell); ours matches and
 * refuses peephole with n_output > n_cell (TFLite would read past the cell
 * state). */
#include "common/unidirectional_sequence_lstm_int8.h"

#include "common/unidirectional_sequence_lstm_q15.h"
#include "internal/fixedpoint.h"
#include "internal/quant.h"
#include "tfm/kernels.h"

enum { IN_X = 0, W_X = 1, W_H = 5, W_C = 9, BIAS = 12, PROJ_W = 16, PROJ_B = 17, STATE_H = 18,
       STATE_C = 19, LAYER_NORM = 20 };
enum { G_IN = 0, G_FORGET = 1, G_CELL = 2, G_OUT = 3 };

typedef struct gate_params {
  int32_t x_mult, h_mult, c_mult, ln_mult, variance_guard;
  int x_shift, h_shift, c_shift, ln_shift;
  int32_t *x_bias, *h_bias; /* effective biases (zero points folded in), [n_cell] */
} gate_params;

typedef struct lstm_int8 {
  int32_t steps, batch, n_input, n_cell, n_output;
  bool time_major, cifg, peephole, projection, layer_norm;
  int cell_scale;
  int16_t cell_clip;
  int8_t proj_clip;
  int32_t hidden_zp, h_zp, hidden_mult, proj_mult;
  int hidden_shift, proj_shift;
  gate_params gate[4];
  int32_t *proj_bias;
  int scratch; /* 4 gates + tanh(c), int16 [batch, n_cell] each; hidden int8 [batch, n_cell] */
} lstm_int8;

static const tfm_tensor *opt_input(tfm_context *ctx, const tfm_node *node, int i) {
  return i < node->num_inputs ? tfm_input(ctx, node, i) : NULL;
}

static const char *type_name(tfm_type type) {
  return type == TFM_INT8 ? "INT8" : (type == TFM_INT16 ? "INT16" : "INT32");
}

/* Input i must be of `type` and [rows] or [rows, cols], quantized per tensor. */
static tfm_status check_tensor(tfm_context *ctx, const tfm_tensor *t, int i, tfm_type type,
                               int32_t rows, int32_t cols) {
  if (!t || t->type != type || t->rank != (cols ? 2 : 1) || t->dims[0] != rows ||
      (cols && t->dims[1] != cols)) {
    return tfm_fail(ctx, TFM_BAD_MODEL, "input %d must be %s [%d%s%d]", i, type_name(type), rows,
                    cols ? ", " : "", cols ? cols : 0);
  }
  tfm_quant q;
  TFM_TRY(tfm_tensor_quant(ctx, t, &q));
  if (type != TFM_INT32 && (q.count != 1 || t->scale <= 0.0f || t->zero_point != 0)) {
    return tfm_fail(ctx, TFM_UNSUPPORTED, "input %d must be quantized per tensor with zero "
                    "point 0", i);
  }
  return TFM_OK;
}

/* Weights and biases are folded into row sums at prepare (effective_bias), before the
 * arena exists: a tensor without constant data there would be read through NULL. */
static tfm_status check_constant(tfm_context *ctx, const tfm_tensor *t, int i) {
  if (t && (!(t->flags & TFM_TENSOR_CONSTANT) || !t->data)) {
    return tfm_fail(ctx, TFM_UNSUPPORTED, "input %d (tensor %d) must be constant: the integer "
                    "LSTM folds its weights and biases at prepare", i, (int)t->index);
  }
  return TFM_OK;
}

/* QuantizeMultiplier of an effective scale TFLite computes in float. */
static tfm_status multiplier(tfm_context *ctx, float scale, const char *what, int32_t *mult,
                             int *shift) {
  tfm_quantize_multiplier((double)scale, mult, shift);
  if (!(scale > 0.0f) || *shift < -31 || *shift > 30) {
    return tfm_fail(ctx, TFM_UNSUPPORTED, "effective %s scale %f out of range", what,
                    (double)scale);
  }
  return TFM_OK;
}

/* bias'[r] = (bias ? bias[r] : 0) + zero_point * sum_k w[r, k], wrapping as TFLite's int32. */
static tfm_status effective_bias(tfm_context *ctx, const tfm_tensor *w, const tfm_tensor *bias,
                                 int32_t zero_point, int32_t **out) {
  const int32_t rows = w->dims[0], cols = w->dims[1];
  TFM_TRY(tfm_alloc_persistent(ctx, (size_t)rows * sizeof(int32_t), (void **)out));
  const int8_t *wd = (const int8_t *)w->data;
  for (int32_t r = 0; r < rows; ++r) {
    uint32_t sum = 0;
    for (int32_t k = 0; k < cols; ++k) sum += (uint32_t)(int32_t)wd[(size_t)r * cols + k];
    const uint32_t b = bias ? (uint32_t)((const int32_t *)bias->data)[r] : 0u;
    (*out)[r] = tfm_wrap_i32(b + sum * (uint32_t)zero_point);
  }
  return TFM_OK;
}

static tfm_status check_inputs(tfm_context *ctx, const tfm_node *node, lstm_int8 *d) {
  for (int g = 0; g < 4; ++g) {
    if (g == G_IN && d->cifg) {
      if (opt_input(ctx, node, W_H) || opt_input(ctx, node, BIAS)) {
        return tfm_fail(ctx, TFM_BAD_MODEL, "CIFG: input gate recurrent weights or bias present");
      }
      continue;
    }
    TFM_TRY(check_tensor(ctx, opt_input(ctx, node, W_X + g), W_X + g, TFM_INT8, d->n_cell,
                         d->n_input));
    TFM_TRY(check_tensor(ctx, opt_input(ctx, node, W_H + g), W_H + g, TFM_INT8, d->n_cell,
                         d->n_output));
    TFM_TRY(check_tensor(ctx, opt_input(ctx, node, BIAS + g), BIAS + g, TFM_INT32, d->n_cell, 0));
    const int folded[3] = {W_X + g, W_H + g, BIAS + g};
    for (int k = 0; k < 3; ++k) {
      TFM_TRY(check_constant(ctx, opt_input(ctx, node, folded[k]), folded[k]));
    }
  }
  for (int g = 0; g < 3; ++g) { /* peephole: input (unless CIFG), forget, output */
    const tfm_tensor *w = opt_input(ctx, node, W_C + g);
    if ((d->peephole && !(g == 0 && d->cifg)) != (w != NULL)) {
      return tfm_fail(ctx, TFM_BAD_MODEL, "peephole weights incomplete");
    }
    if (w) TFM_TRY(check_tensor(ctx, w, W_C + g, TFM_INT16, d->n_cell, 0));
  }
  for (int g = 0; g < 4; ++g) {
    const tfm_tensor *w = opt_input(ctx, node, LAYER_NORM + g);
    if ((d->layer_norm && !(g == G_IN && d->cifg)) != (w != NULL)) {
      return tfm_fail(ctx, TFM_BAD_MODEL, "layer-norm coefficients incomplete");
    }
    if (w) TFM_TRY(check_tensor(ctx, w, LAYER_NORM + g, TFM_INT16, d->n_cell, 0));
  }
  if (d->projection) {
    TFM_TRY(check_tensor(ctx, tfm_input(ctx, node, PROJ_W), PROJ_W, TFM_INT8, d->n_output,
                         d->n_cell));
    const tfm_tensor *pb = opt_input(ctx, node, PROJ_B);
    if (pb) TFM_TRY(check_tensor(ctx, pb, PROJ_B, TFM_INT32, d->n_output, 0));
    TFM_TRY(check_constant(ctx, tfm_input(ctx, node, PROJ_W), PROJ_W));
    TFM_TRY(check_constant(ctx, pb, PROJ_B));
  } else if (d->n_output != d->n_cell) {
    return tfm_fail(ctx, TFM_BAD_MODEL, "without projection the output size %d must be %d",
                    d->n_output, d->n_cell);
  }
  if (d->peephole && d->n_output > d->n_cell) {
    return tfm_fail(ctx, TFM_UNSUPPORTED, "integer peephole with output size %d > cell size %d "
                    "(TFLite reads past the cell state)", d->n_output, d->n_cell);
  }
  return TFM_OK;
}

/* The gate scales (TFLite's PopulateQuantizedLstmParams8x8_16), in float. */
static tfm_status gate_scales(tfm_context *ctx, const tfm_node *node, lstm_int8 *d,
                              const float inter[5], float s_x, float s_h) {
  const float cell = (float)(1.0 / (double)(1L << -d->cell_scale)); /* 2^cell_scale */
  for (int g = 0; g < 4; ++g) {
    if (g == G_IN && d->cifg) continue;
    gate_params *p = &d->gate[g];
    const tfm_tensor *wx = tfm_input(ctx, node, W_X + g), *wh = tfm_input(ctx, node, W_H + g);
    TFM_TRY(multiplier(ctx, wx->scale * s_x / inter[g], "input-to-gate", &p->x_mult, &p->x_shift));
    TFM_TRY(multiplier(ctx, wh->scale * s_h / inter[g], "recurrent-to-gate", &p->h_mult,
                       &p->h_shift));
    if (d->peephole && g != G_CELL) {
      const tfm_tensor *wc = tfm_input(ctx, node, W_C + (g == G_OUT ? 2 : g));
      TFM_TRY(multiplier(ctx, cell * wc->scale / inter[g], "cell-to-gate", &p->c_mult,
                         &p->c_shift));
    }
    const tfm_tensor *ln = d->layer_norm ? tfm_input(ctx, node, LAYER_NORM + g) : NULL;
    const float ln_scale = ln ? ln->scale : 1.0f;
    tfm_quantize_multiplier((double)ln_scale, &p->ln_mult, &p->ln_shift);
    const float guard = 10000.0f * ln_scale;
    p->variance_guard = guard < 1.0f ? 1 : (guard > 2e9f ? 2000000000 : (int32_t)guard);
    const tfm_tensor *bias = d->layer_norm ? NULL : tfm_input(ctx, node, BIAS + g);
    TFM_TRY(effective_bias(ctx, wx, bias, -(int32_t)tfm_input(ctx, node, IN_X)->zero_point,
                           &p->x_bias));
    TFM_TRY(effective_bias(ctx, wh, NULL, -d->h_zp, &p->h_bias));
  }
  const float two_m15 = 1.0f / 32768.0f;
  TFM_TRY(multiplier(ctx, two_m15 / inter[4] * two_m15, "hidden", &d->hidden_mult,
                     &d->hidden_shift));
  if (d->projection) {
    const tfm_tensor *pw = tfm_input(ctx, node, PROJ_W);
    TFM_TRY(multiplier(ctx, pw->scale * inter[4] / s_h, "projection", &d->proj_mult,
                       &d->proj_shift));
    /* TFLite's hidden int8 value is o * tanh(c) / s - zp (note the sign), the
     * projection adds zp * row sums back */
    TFM_TRY(effective_bias(ctx, pw, opt_input(ctx, node, PROJ_B), d->hidden_zp, &d->proj_bias));
  }
  return TFM_OK;
}

tfm_status tfm_lstm_int8_prepare(tfm_context *ctx, tfm_node *node) {
  const tfm_tensor *x = tfm_input(ctx, node, IN_X), *out = tfm_output(ctx, node, 0);
  if (out->type != TFM_INT8 || x->rank != 3 || out->rank != 3) {
    return tfm_fail(ctx, TFM_BAD_MODEL, "INT8 input needs an INT8 output, both 3-D");
  }
  lstm_int8 *d;
  TFM_TRY(tfm_alloc_persistent(ctx, sizeof(*d), (void **)&d));
  d->time_major = tfm_opt_bool(node, 10, false);
  d->steps = x->dims[d->time_major ? 0 : 1];
  d->batch = x->dims[d->time_major ? 1 : 0];
  d->n_input = x->dims[2];
  const tfm_tensor *w_forget = tfm_input(ctx, node, W_X + 1), *r_forget = tfm_input(ctx, node, W_H + 1);
  if (!w_forget || !r_forget || w_forget->rank != 2 || r_forget->rank != 2) {
    return tfm_fail(ctx, TFM_BAD_MODEL, "forget gate weights missing");
  }
  d->n_cell = w_forget->dims[0];
  d->n_output = r_forget->dims[1];
  d->cifg = opt_input(ctx, node, W_X) == NULL;
  d->peephole = opt_input(ctx, node, W_C + 1) != NULL;
  d->projection = opt_input(ctx, node, PROJ_W) != NULL;
  d->layer_norm = opt_input(ctx, node, LAYER_NORM + 1) != NULL;
  if (tfm_opt_bool(node, 14, false)) {
    return tfm_fail(ctx, TFM_UNSUPPORTED, "diagonal_recurrent_tensors not supported");
  }
  TFM_TRY(check_inputs(ctx, node, d));
  const tfm_tensor *h = tfm_input(ctx, node, STATE_H), *c = tfm_input(ctx, node, STATE_C);
  if (!h || !c || !(h->flags & TFM_TENSOR_VARIABLE) || !(c->flags & TFM_TENSOR_VARIABLE) ||
      h->type != TFM_INT8 || c->type != TFM_INT16 || h->scale <= 0.0f ||
      tfm_tensor_elements(h) != (int64_t)d->batch * d->n_output ||
      tfm_tensor_elements(c) != (int64_t)d->batch * d->n_cell) {
    return tfm_fail(ctx, TFM_BAD_MODEL, "output state must be an INT8 and cell state an INT16 "
                    "variable of [%d, %d] and [%d, %d]", d->batch, d->n_output, d->batch, d->n_cell);
  }
  if (!tfm_checked_log2(c->scale, &d->cell_scale) || d->cell_scale < -15 ||
      d->cell_scale > -9) {
    return tfm_fail(ctx, TFM_UNSUPPORTED, "cell state scale %f must be 2^-15 .. 2^-9",
                    (double)c->scale);
  }
  if (out->dims[0] != x->dims[0] || out->dims[1] != x->dims[1] || out->dims[2] != d->n_output) {
    return tfm_fail(ctx, TFM_BAD_MODEL, "output shape does not match the input and output size");
  }
  float inter[5];
  for (int k = 0; k < 5; ++k) {
    tfm_tensor *t;
    TFM_TRY(tfm_node_intermediate(ctx, node, k, &t));
    if (!t) {
      return tfm_fail(ctx, TFM_BAD_MODEL, "integer LSTM needs 5 intermediate tensors (gate "
                      "and hidden scales), intermediate %d missing", k);
    }
    const bool used = k == 4 || d->layer_norm;
    if (used && t->scale <= 0.0f) {
      return tfm_fail(ctx, TFM_BAD_MODEL, "intermediate %d (tensor %d) has no scale", k,
                      (int)t->index);
    }
    inter[k] = k == 4 || d->layer_norm ? t->scale : 1.0f / 4096.0f; /* Q3.12 */
    if (k == 4) d->hidden_zp = t->zero_point;
  }
  d->h_zp = h->zero_point;
  TFM_TRY(gate_scales(ctx, node, d, inter, x->scale, h->scale));
  const float cell_clip = tfm_opt_f32(node, 6, 0.0f), proj_clip = tfm_opt_f32(node, 8, 0.0f);
  if (cell_clip < 0.0f || proj_clip < 0.0f) return tfm_fail(ctx, TFM_BAD_MODEL, "negative clip");
  const float qc = cell_clip / c->scale, qp = proj_clip / out->scale;
  d->cell_clip = cell_clip > 0.0f ? (int16_t)(qc > 32767.0f ? 32767.0f : qc) : 0;
  d->proj_clip = proj_clip > 0.0f ? (int8_t)(qp > 127.0f ? 127.0f : qp) : 0;
  const size_t cells = (size_t)d->batch * d->n_cell;
  TFM_TRY(tfm_request_scratch(ctx, cells * (5 * sizeof(int16_t) + 1), &d->scratch));
  node->data = d;
  return TFM_OK;
}

static const void *data_of(tfm_context *ctx, const tfm_node *node, int i) {
  const tfm_tensor *t = i < node->num_inputs ? tfm_input(ctx, node, i) : NULL;
  return t ? t->data : NULL;
}

/* One gate for `nb` batch rows (TFLite's CalculateLstmGateInteger8x8_16). */
static void gate(tfm_context *ctx, const tfm_node *node, const lstm_int8 *d, int g, int32_t nb,
                 const int8_t *x, const int8_t *h, const int16_t *c, int16_t *out) {
  const gate_params *p = &d->gate[g];
  const size_t n = (size_t)nb * d->n_cell;
  for (size_t k = 0; k < n; ++k) out[k] = 0;
  tfm_lstm_q15_matmul_acc(x, p->x_bias, (const int8_t *)data_of(ctx, node, W_X + g), p->x_mult,
                          p->x_shift, nb, d->n_input, d->n_cell, 0, out, NULL);
  tfm_lstm_q15_matmul_acc(h, p->h_bias, (const int8_t *)data_of(ctx, node, W_H + g), p->h_mult,
                          p->h_shift, nb, d->n_output, d->n_cell, 0, out, NULL);
  if (d->peephole && g != G_CELL) {
    tfm_lstm_q15_peephole_acc((const int16_t *)data_of(ctx, node, W_C + (g == G_OUT ? 2 : g)),
                              d->n_output, c, nb, p->c_mult, p->c_shift, out);
  }
  if (d->layer_norm) {
    tfm_lstm_q15_layer_norm(out, (const int16_t *)data_of(ctx, node, LAYER_NORM + g),
                            (const int32_t *)data_of(ctx, node, BIAS + g), p->ln_mult,
                            p->ln_shift, p->variance_guard, nb, d->n_cell);
  }
  if (g == G_CELL) {
    tfm_lstm_q15_tanh(3, out, (int32_t)n, out);
  } else {
    tfm_lstm_q15_sigmoid(out, (int32_t)n);
  }
}

/* One time step for `nb` batch rows: x [nb, n_input], h [nb, n_output] and
 * c [nb, n_cell] (updated in place); the new h is also written to `y`. */
static void step(tfm_context *ctx, const tfm_node *node, const lstm_int8 *d, int32_t nb,
                 const int8_t *x, int8_t *h, int16_t *c, int8_t *y, int16_t *s) {
  const size_t n = (size_t)nb * d->n_cell, stride = (size_t)d->batch * d->n_cell;
  int16_t *gi = s, *gf = s + stride, *gc = s + 2 * stride, *go = s + 3 * stride;
  int16_t *t = s + 4 * stride;
  int8_t *hidden = (int8_t *)(s + 5 * stride);
  if (!d->cifg) gate(ctx, node, d, G_IN, nb, x, h, c, gi);
  gate(ctx, node, d, G_FORGET, nb, x, h, c, gf);
  gate(ctx, node, d, G_CELL, nb, x, h, c, gc);
  /* c = f * c + i * g; with CIFG i = 1 - f, computed into the forget buffer */
  tfm_lstm_q15_mul_shift(gf, c, (int32_t)n, 15, c);
  if (d->cifg) {
    for (size_t k = 0; k < n; ++k) gf[k] = (int16_t)(INT16_MAX - gf[k]);
    gi = gf;
  }
  tfm_lstm_q15_mul_shift(gi, gc, (int32_t)n, 30 + d->cell_scale, gf);
  for (size_t k = 0; k < n; ++k) {
    int32_t v = (int32_t)c[k] + gf[k];
    v = tfm_clamp_i32(v, INT16_MIN, INT16_MAX);
    if (d->cell_clip > 0) v = tfm_clamp_i32(v, -d->cell_clip, d->cell_clip);
    c[k] = (int16_t)v;
  }
  gate(ctx, node, d, G_OUT, nb, x, h, c, go);
  tfm_lstm_q15_tanh(15 + d->cell_scale, c, (int32_t)n, t);
  const size_t n_h = (size_t)nb * d->n_output;
  if (d->projection) {
    tfm_lstm_q15_mul_rescale(go, t, (int32_t)n, d->hidden_mult, d->hidden_shift, -d->hidden_zp,
                             hidden);
    for (size_t k = 0; k < n_h; ++k) h[k] = 0;
    tfm_lstm_q15_matmul_acc(hidden, d->proj_bias, (const int8_t *)data_of(ctx, node, PROJ_W),
                            d->proj_mult, d->proj_shift, nb, d->n_cell, d->n_output, d->h_zp,
                            NULL, h);
    if (d->proj_clip > 0) {
      for (size_t k = 0; k < n_h; ++k) h[k] = (int8_t)tfm_clamp_i32(h[k], -d->proj_clip, d->proj_clip);
    }
  } else {
    tfm_lstm_q15_mul_rescale(go, t, (int32_t)n, d->hidden_mult, d->hidden_shift, d->hidden_zp, h);
  }
  for (size_t k = 0; k < n_h; ++k) y[k] = h[k];
}

tfm_status tfm_lstm_int8_eval(tfm_context *ctx, tfm_node *node) {
  const lstm_int8 *d = (const lstm_int8 *)node->data;
  const int8_t *x = (const int8_t *)tfm_input(ctx, node, IN_X)->data;
  int8_t *h = (int8_t *)tfm_input(ctx, node, STATE_H)->data;
  int16_t *c = (int16_t *)tfm_input(ctx, node, STATE_C)->data;
  int8_t *y = (int8_t *)tfm_output(ctx, node, 0)->data;
  int16_t *s = (int16_t *)tfm_scratch(ctx, d->scratch);
  if (d->time_major) { /* TFLite steps the whole batch at once */
    for (int32_t t = 0; t < d->steps; ++t) {
      const size_t row = (size_t)t * d->batch;
      step(ctx, node, d, d->batch, x + row * d->n_input, h, c, y + row * d->n_output, s);
    }
    return TFM_OK;
  }
  for (int32_t b = 0; b < d->batch; ++b) { /* batch-major: one row at a time */
    for (int32_t t = 0; t < d->steps; ++t) {
      const size_t row = (size_t)b * d->steps + t;
      step(ctx, node, d, 1, x + row * d->n_input, h + (size_t)b * d->n_output,
           c + (size_t)b * d->n_cell, y + row * d->n_output, s);
    }
  }
  return TFM_OK;
}
