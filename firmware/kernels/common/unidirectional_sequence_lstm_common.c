/* UNIDIRECTIONAL_SEQUENCE_LSTM, float32 (INT8 inputs go to the full-integer
 * kernel of common/unidirectional_sequence_lstm_int8.c): TFLite's LstmStepFloat per time
 * step, with optional CIFG (no input gate: i = 1 - f), peephole weights and
 * projection (+ bias), cell_clip / proj_clip (options at offsets 6 and 8, 0 =
 * none), time_major (offset 10) and the cell/output activation (offset 4).
 * Inputs (TFLite's order): 0 input, 1-4 input-to-{input, forget, cell,
 * output} weights, 5-8 recurrent-to-{...} weights, 9-11 cell-to-{input,
 * forget, output} (peephole), 12-15 gate biases, 16 projection weights, 17
 * projection bias, 18 output state and 19 cell state (variables), 20-23
 * layer-norm coefficients (all or none, CIFG without the input gate's). Per
 * step and batch row:
 *   gate = bias + W_x . x + W_h . h (+ w_c * c for peephole); with layer norm
 *   gate = coeff * normalize(W_x . x + W_h . h (+ w_c * c)) + bias, where
 *   normalize(v) = (v - mean) / sqrt(variance + 1e-8); then
 *   i, f, o = sigmoid(gate), g = act(gate_cell);
 *   c = f * c + g * i (i = 1 - f with CIFG), clipped; h = o * act(c),
 *   projected (+ bias, clipped) when there is a projection.
 * Activations TANH, RELU, RELU6, RELU_N1_TO_1; NONE is refused (TFLite's
 * kernel is wrong for it, see prepare).
 * Hybrid (FLOAT32 input, states, biases, layer norm; INT8 weights per tensor):
 * TFLite's LstmStepHybrid. Each step quantizes every batch row of x and h to
 * int8 (symmetric, or asymmetric with option offset 12; an all-zero row adds
 * nothing), the gate products are int32 sums (minus row sum * zero point)
 * added as dot * (row scale * weight scale); peephole weights are used
 * dequantized; the projection quantizes o * act(c) the same way. */
#include "common/unidirectional_sequence_lstm.h"

#include "common/unidirectional_sequence_lstm_int8.h"

#include "internal/fixedpoint.h"
#include "internal/hybrid_quant.h"
#include "internal/fmath.h"
#include "internal/quant.h"
#include "tfm/kernels.h"

enum { IN_X = 0, W_X = 1, W_H = 5, W_C = 9, BIAS = 12, PROJ_W = 16, PROJ_B = 17, STATE_H = 18,
       STATE_C = 19, LAYER_NORM = 20 };

typedef struct lstm_data {
  int32_t steps, batch, n_input, n_cell, n_output;
  bool time_major, cifg, peephole, projection, layer_norm;
  int act;
  float cell_clip, proj_clip;
  int scratch; /* 4 gates + 1 output buffer, [n_cell] floats each (+ hybrid rows) */
  bool hybrid, asymmetric;
  float w_scale[PROJ_W + 1];      /* hybrid: scales of the int8 weights */
  int32_t *row_sums[PROJ_W + 1];  /* hybrid asymmetric: their row sums */
  float *peephole_w[3];           /* hybrid: dequantized peephole weights */
} lstm_data;

static const tfm_tensor *opt_input(tfm_context *ctx, const tfm_node *node, int i) {
  return i < node->num_inputs ? tfm_input(ctx, node, i) : NULL;
}

/* Input i must be [rows] or [rows, cols], FLOAT32 (weights INT8 when hybrid). */
static tfm_status check_matrix(tfm_context *ctx, const tfm_tensor *t, int i, int32_t rows,
                               int32_t cols, bool hybrid) {
  const bool weight = (i >= W_X && i < BIAS) || i == PROJ_W;
  const tfm_type type = weight && hybrid ? TFM_INT8 : TFM_FLOAT32;
  if (t->type != type || t->rank != (cols ? 2 : 1) || t->dims[0] != rows ||
      (cols && t->dims[1] != cols)) {
    return tfm_fail(ctx, TFM_BAD_MODEL, "input %d must be %s [%d%s%d]", i,
                    type == TFM_INT8 ? "INT8" : "FLOAT32", rows, cols ? ", " : "",
                    cols ? cols : 0);
  }
  return TFM_OK;
}

/* Hybrid: scales, row sums (asymmetric) and dequantized peephole weights. */
static tfm_status prepare_hybrid(tfm_context *ctx, const tfm_node *node, lstm_data *d) {
  for (int i = W_X; i <= PROJ_W; ++i) {
    const tfm_tensor *w = opt_input(ctx, node, i);
    if (!w || (i >= BIAS && i < PROJ_W)) continue;
    tfm_quant q;
    TFM_TRY(tfm_tensor_quant(ctx, w, &q));
    if (q.count != 1 || !(w->scale > 0.0f) || !(w->flags & TFM_TENSOR_CONSTANT)) {
      return tfm_fail(ctx, TFM_UNSUPPORTED, "hybrid weights (input %d) must be constant, "
                      "quantized per tensor with a positive scale", i);
    }
    d->w_scale[i] = w->scale;
    const int8_t *wd = (const int8_t *)w->data;
    const int32_t rows = w->dims[0], cols = w->rank == 2 ? w->dims[1] : 1;
    if (i >= W_C && i < BIAS) { /* peephole: TFLite's recovered cell weights */
      float **pw = &d->peephole_w[i - W_C];
      TFM_TRY(tfm_alloc_persistent(ctx, (size_t)rows * sizeof(float), (void **)pw));
      for (int32_t k = 0; k < rows; ++k) (*pw)[k] = (float)wd[k] * w->scale;
      continue;
    }
    if (!d->asymmetric) continue;
    TFM_TRY(tfm_alloc_persistent(ctx, (size_t)rows * sizeof(int32_t), (void **)&d->row_sums[i]));
    for (int32_t r = 0; r < rows; ++r) {
      int32_t sum = 0;
      for (int32_t k = 0; k < cols; ++k) sum += wd[(size_t)r * cols + k];
      d->row_sums[i][r] = sum;
    }
  }
  return TFM_OK;
}

tfm_status tfm_unidirectional_sequence_lstm_prepare(tfm_context *ctx, tfm_node *node) {
  if (node->num_inputs < 20 || node->num_inputs > 24 || node->num_outputs != 1) {
    return tfm_fail(ctx, TFM_BAD_MODEL, "expects 20 to 24 inputs and 1 output, got %d and %d",
                    node->num_inputs, node->num_outputs);
  }
  const tfm_tensor *x = tfm_input(ctx, node, IN_X), *out = tfm_output(ctx, node, 0);
  if (x && out && x->type == TFM_INT8) return tfm_lstm_int8_prepare(ctx, node);
  if (!x || !out || x->type != TFM_FLOAT32 || out->type != TFM_FLOAT32) {
    return tfm_fail(ctx, TFM_UNSUPPORTED, "only FLOAT32 or INT8 input and output are supported");
  }
  if (x->rank != 3 || out->rank != 3) return tfm_fail(ctx, TFM_BAD_MODEL, "input and output must be 3-D");
  lstm_data *d;
  TFM_TRY(tfm_alloc_persistent(ctx, sizeof(*d), (void **)&d));
  d->time_major = tfm_opt_bool(node, 10, false);
  d->steps = x->dims[d->time_major ? 0 : 1];
  d->batch = x->dims[d->time_major ? 1 : 0];
  d->n_input = x->dims[2];
  const tfm_tensor *w_forget = tfm_input(ctx, node, W_X + 1), *r_forget = tfm_input(ctx, node, W_H + 1);
  if (!w_forget || !r_forget || w_forget->rank != 2 || r_forget->rank != 2) {
    return tfm_fail(ctx, TFM_BAD_MODEL, "forget gate weights missing");   /* as the int8 path */
  }
  d->n_cell = w_forget->dims[0];
  d->n_output = r_forget->dims[1];
  d->cifg = opt_input(ctx, node, W_X) == NULL;
  d->peephole = opt_input(ctx, node, W_C + 1) != NULL;
  d->projection = opt_input(ctx, node, PROJ_W) != NULL;
  d->layer_norm = opt_input(ctx, node, LAYER_NORM + 1) != NULL;
  d->hybrid = w_forget->type == TFM_INT8;
  d->asymmetric = tfm_opt_bool(node, 12, false);
  for (int g = 0; g < 4; ++g) { /* coefficients for every gate but a CIFG input gate */
    const tfm_tensor *w = opt_input(ctx, node, LAYER_NORM + g);
    const bool want = d->layer_norm && !(g == 0 && d->cifg);
    if (want != (w != NULL)) return tfm_fail(ctx, TFM_BAD_MODEL, "layer-norm coefficients incomplete");
    if (w) TFM_TRY(check_matrix(ctx, w, LAYER_NORM + g, d->n_cell, 0, d->hybrid));
  }
  for (int g = 0; g < 4; ++g) {
    if (g == 0 && d->cifg) {
      if (opt_input(ctx, node, W_H) || opt_input(ctx, node, BIAS)) {
        return tfm_fail(ctx, TFM_BAD_MODEL, "CIFG: input gate recurrent weights or bias present");
      }
      continue;
    }
    const tfm_tensor *wx = opt_input(ctx, node, W_X + g), *wh = opt_input(ctx, node, W_H + g);
    const tfm_tensor *b = opt_input(ctx, node, BIAS + g);
    if (!wx || !wh || !b) return tfm_fail(ctx, TFM_BAD_MODEL, "gate %d weights or bias missing", g);
    TFM_TRY(check_matrix(ctx, wx, W_X + g, d->n_cell, d->n_input, d->hybrid));
    TFM_TRY(check_matrix(ctx, wh, W_H + g, d->n_cell, d->n_output, d->hybrid));
    TFM_TRY(check_matrix(ctx, b, BIAS + g, d->n_cell, 0, d->hybrid));
  }
  for (int g = 0; g < 3; ++g) { /* peephole: input (unless CIFG), forget, output */
    const tfm_tensor *w = opt_input(ctx, node, W_C + g);
    const bool want = d->peephole && !(g == 0 && d->cifg);
    if (want != (w != NULL)) return tfm_fail(ctx, TFM_BAD_MODEL, "peephole weights incomplete");
    if (w) TFM_TRY(check_matrix(ctx, w, W_C + g, d->n_cell, 0, d->hybrid));
  }
  if (d->projection) {
    TFM_TRY(check_matrix(ctx, tfm_input(ctx, node, PROJ_W), PROJ_W, d->n_output, d->n_cell,
                         d->hybrid));
    const tfm_tensor *pb = opt_input(ctx, node, PROJ_B);
    if (pb) TFM_TRY(check_matrix(ctx, pb, PROJ_B, d->n_output, 0, d->hybrid));
  } else if (d->n_output != d->n_cell) {
    return tfm_fail(ctx, TFM_BAD_MODEL, "without projection the output size %d must be %d",
                    d->n_output, d->n_cell);
  }
  const tfm_tensor *h = tfm_input(ctx, node, STATE_H), *c = tfm_input(ctx, node, STATE_C);
  if (!h || !c || !(h->flags & TFM_TENSOR_VARIABLE) || !(c->flags & TFM_TENSOR_VARIABLE) ||
      h->type != TFM_FLOAT32 || c->type != TFM_FLOAT32 ||
      tfm_tensor_elements(h) != (int64_t)d->batch * d->n_output ||
      tfm_tensor_elements(c) != (int64_t)d->batch * d->n_cell) {
    return tfm_fail(ctx, TFM_BAD_MODEL, "output and cell states must be FLOAT32 variables of "
                    "[%d, %d] and [%d, %d]", d->batch, d->n_output, d->batch, d->n_cell);
  }
  if (out->dims[0] != x->dims[0] || out->dims[1] != x->dims[1] || out->dims[2] != d->n_output) {
    return tfm_fail(ctx, TFM_BAD_MODEL, "output shape does not match the input and output size");
  }
  d->act = tfm_opt_i8(node, 4, TFM_ACT_NONE); /* the schema default */
  if (d->act == TFM_ACT_NONE) {
    /* TFLite's ApplyActivationToVector(NONE) writes nothing, so its h becomes
     * o * (cell gate) instead of o * c: refused rather than disagreeing. */
    return tfm_fail(ctx, TFM_UNSUPPORTED, "activation NONE not supported (TFLite's kernel "
                    "computes h from the cell gate instead of the cell state for it)");
  }
  if (d->act != TFM_ACT_RELU && d->act != TFM_ACT_RELU6 && d->act != TFM_ACT_RELU_N1_TO_1 &&
      d->act != TFM_ACT_TANH) {
    return tfm_fail(ctx, TFM_UNSUPPORTED, "activation %d not supported", d->act);
  }
  if (tfm_opt_bool(node, 14, false)) {
    return tfm_fail(ctx, TFM_UNSUPPORTED, "diagonal_recurrent_tensors not supported");
  }
  d->cell_clip = tfm_opt_f32(node, 6, 0.0f);
  d->proj_clip = tfm_opt_f32(node, 8, 0.0f);
  if (d->hybrid) TFM_TRY(prepare_hybrid(ctx, node, d));
  /* hybrid: + int8 rows of x, h and o * act(c) */
  const size_t rows = d->hybrid ? (size_t)d->n_input + d->n_output + d->n_cell : 0;
  TFM_TRY(tfm_request_scratch(ctx, (size_t)5 * d->n_cell * sizeof(float) + rows, &d->scratch));
  node->data = d;
  return TFM_OK;
}

static float activate(int act, float v) {
  switch (act) {
    case TFM_ACT_RELU: return v < 0.0f ? 0.0f : v;
    case TFM_ACT_RELU6: return v < 0.0f ? 0.0f : (v > 6.0f ? 6.0f : v);
    case TFM_ACT_RELU_N1_TO_1: return v < -1.0f ? -1.0f : (v > 1.0f ? 1.0f : v);
    default: return tfm_tanhf(v); /* TANH */
  }
}

static float sigmoid(float v) { return 1.0f / (1.0f + tfm_expf(-v)); }

/* acc[r] += W[r] . v for a [rows, cols] matrix, one float sum per row from 0. */
static void matvec_acc(const float *w, int32_t rows, int32_t cols, const float *v, float *acc) {
  for (int32_t r = 0; r < rows; ++r) {
    float dot = 0.0f;
    for (int32_t k = 0; k < cols; ++k) dot += w[(size_t)r * cols + k] * v[k];
    acc[r] += dot;
  }
}

static float clip(float v, float limit) {
  return limit > 0.0f ? (v > limit ? limit : (v < -limit ? -limit : v)) : v;
}

/* TFLite's MeanStddevNormalization, then * coefficients + bias (layer norm). */
static void layer_norm(float *v, int32_t n, const float *coeff, const float *bias) {
  float sum = 0.0f;
  for (int32_t k = 0; k < n; ++k) sum += v[k];
  const float mean = sum / (float)n;
  float sq = 0.0f;
  for (int32_t k = 0; k < n; ++k) sq += (v[k] - mean) * (v[k] - mean);
  const float inv = 1.0f / tfm_sqrtf(sq / (float)n + 1e-8f);
  for (int32_t k = 0; k < n; ++k) {
    v[k] = coeff[k] * ((v[k] - mean) * inv);
    v[k] += bias[k];
  }
}

static const float *data_of(tfm_context *ctx, const tfm_node *node, int i) {
  return (const float *)tfm_input(ctx, node, i)->data;
}

/* A hybrid operand row quantized to int8 (TFLite's BatchQuantizeFloats). */
typedef struct qrow {
  int8_t *q;
  float scale;
  int32_t zero_point;
  bool zero; /* all zero: TFLite skips the product */
} qrow;

static void quantize(const lstm_data *d, const float *v, int32_t n, qrow *row) {
  row->zero = true;
  for (int32_t k = 0; k < n && row->zero; ++k) row->zero = v[k] == 0.0f;
  if (!row->zero) {
    tfm_hybrid_quantize_row(v, n, d->asymmetric, row->q, &row->scale, &row->zero_point);
  }
}

/* acc += W_i . v: float, or hybrid int32 sums scaled by row scale * weight scale. */
static void product_acc(tfm_context *ctx, const tfm_node *node, const lstm_data *d, int i,
                        int32_t rows, int32_t cols, const float *v, const qrow *row,
                        float *acc) {
  if (!d->hybrid) {
    matvec_acc(data_of(ctx, node, i), rows, cols, v, acc);
    return;
  }
  if (row->zero) return;
  const int8_t *w = (const int8_t *)tfm_input(ctx, node, i)->data;
  const float scale = row->scale * d->w_scale[i];
  for (int32_t r = 0; r < rows; ++r) {
    int32_t dot = 0;
    for (int32_t k = 0; k < cols; ++k) dot += w[(size_t)r * cols + k] * row->q[k];
    if (d->asymmetric) dot -= d->row_sums[i][r] * row->zero_point;
    acc[r] += (float)dot * scale;
  }
}

static const float *peephole_of(tfm_context *ctx, const tfm_node *node, const lstm_data *d,
                                int g) {
  return d->hybrid ? d->peephole_w[g] : data_of(ctx, node, W_C + g);
}

/* One step for one batch row: x [n_input], h [n_output] and c [n_cell] in place. */
static void step(tfm_context *ctx, const tfm_node *node, const lstm_data *d, const float *x,
                 float *h, float *c, float *gates) {
  const int32_t nc = d->n_cell;
  float *gi = gates, *gf = gates + nc, *gc = gates + 2 * nc, *go = gates + 3 * nc, *tmp = gates + 4 * nc;
  float *gate[4] = {gi, gf, gc, go};
  int8_t *rows = (int8_t *)(gates + 5 * nc);
  qrow qx = {rows, 1.0f, 0, true}, qh = {rows + d->n_input, 1.0f, 0, true};
  qrow qt = {rows + d->n_input + d->n_output, 1.0f, 0, true};
  if (d->hybrid) {
    quantize(d, x, d->n_input, &qx);
    quantize(d, h, d->n_output, &qh);
  }
  for (int g = 0; g < 4; ++g) {
    if (g == 0 && d->cifg) continue;
    const float *bias = data_of(ctx, node, BIAS + g);
    for (int32_t k = 0; k < nc; ++k) gate[g][k] = d->layer_norm ? 0.0f : bias[k];
    product_acc(ctx, node, d, W_X + g, nc, d->n_input, x, &qx, gate[g]);
    product_acc(ctx, node, d, W_H + g, nc, d->n_output, h, &qh, gate[g]);
  }
  /* input, forget and cell gates: peephole (old cell state), layer norm, activation */
  for (int g = 0; g < 3; ++g) {
    if (g == 0 && d->cifg) continue;
    if (d->peephole && g < 2) {
      const float *w = peephole_of(ctx, node, d, g);
      for (int32_t k = 0; k < nc; ++k) gate[g][k] += w[k] * c[k];
    }
    if (d->layer_norm) {
      layer_norm(gate[g], nc, data_of(ctx, node, LAYER_NORM + g), data_of(ctx, node, BIAS + g));
    }
    for (int32_t k = 0; k < nc; ++k) {
      gate[g][k] = g == 2 ? activate(d->act, gate[g][k]) : sigmoid(gate[g][k]);
    }
  }
  for (int32_t k = 0; k < nc; ++k) {
    float v = gf[k] * c[k];
    v += gc[k] * (d->cifg ? 1.0f - gf[k] : gi[k]);
    c[k] = clip(v, d->cell_clip);
  }
  if (d->peephole) { /* the output gate's peephole sees the new cell state */
    const float *w = peephole_of(ctx, node, d, 2);
    for (int32_t k = 0; k < nc; ++k) go[k] += w[k] * c[k];
  }
  if (d->layer_norm) layer_norm(go, nc, data_of(ctx, node, LAYER_NORM + 3), data_of(ctx, node, BIAS + 3));
  for (int32_t k = 0; k < nc; ++k) tmp[k] = sigmoid(go[k]) * activate(d->act, c[k]);
  if (!d->projection) {
    for (int32_t k = 0; k < nc; ++k) h[k] = tmp[k];
    return;
  }
  const tfm_tensor *pb = opt_input(ctx, node, PROJ_B);
  for (int32_t k = 0; k < d->n_output; ++k) h[k] = pb ? ((const float *)pb->data)[k] : 0.0f;
  if (d->hybrid) quantize(d, tmp, nc, &qt);
  product_acc(ctx, node, d, PROJ_W, d->n_output, nc, tmp, &qt, h);
  for (int32_t k = 0; k < d->n_output; ++k) h[k] = clip(h[k], d->proj_clip);
}

tfm_status tfm_unidirectional_sequence_lstm_eval_reference(tfm_context *ctx, tfm_node *node) {
  if (tfm_input(ctx, node, IN_X)->type == TFM_INT8) return tfm_lstm_int8_eval(ctx, node);
  const lstm_data *d = (const lstm_data *)node->data;
  const float *x = (const float *)tfm_input(ctx, node, IN_X)->data;
  float *h = (float *)tfm_input(ctx, node, STATE_H)->data;
  float *c = (float *)tfm_input(ctx, node, STATE_C)->data;
  float *out = (float *)tfm_output(ctx, node, 0)->data;
  float *gates = (float *)tfm_scratch(ctx, d->scratch);
  for (int32_t t = 0; t < d->steps; ++t) {
    for (int32_t b = 0; b < d->batch; ++b) {
      const size_t row = d->time_major ? (size_t)t * d->batch + b : (size_t)b * d->steps + t;
      float *hb = h + (size_t)b * d->n_output;
      step(ctx, node, d, x + row * d->n_input, hb, c + (size_t)b * d->n_cell, gates);
      for (int32_t k = 0; k < d->n_output; ++k) out[row * d->n_output + k] = hb[k];
    }
  }
  return TFM_OK;
}
