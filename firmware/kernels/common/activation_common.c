#include "common/activation_common.h"

#include "internal/fixedpoint.h"
#include "internal/quant.h"

tfm_status tfm_unary_prepare(tfm_context *ctx, tfm_node *node, const char *op, const int *types,
                             bool same_type, size_t data_size, const tfm_tensor **in,
                             const tfm_tensor **out) {
  if (node->num_inputs != 1 || node->num_outputs != 1) {
    return tfm_fail(ctx, TFM_BAD_MODEL, "%s: expects 1 input and 1 output, got %d and %d", op,
                    node->num_inputs, node->num_outputs);
  }
  const tfm_tensor *i = tfm_input(ctx, node, 0);
  const tfm_tensor *o = tfm_output(ctx, node, 0);
  if (!i || !o) return tfm_fail(ctx, TFM_BAD_MODEL, "%s: missing input or output", op);
  bool ok = false;
  for (const int *t = types; *t >= 0; ++t) ok = ok || *t == i->type;
  if (!ok || (same_type && i->type != o->type)) {
    return tfm_fail(ctx, TFM_UNSUPPORTED, "%s: input type %s with output type %s not supported", op,
                    tfm_type_name((tfm_type)i->type), tfm_type_name((tfm_type)o->type));
  }
  if (tfm_tensor_elements(i) != tfm_tensor_elements(o)) {
    return tfm_fail(ctx, TFM_BAD_MODEL, "%s: input has %d elements, output %d", op,
                    tfm_tensor_elements(i), tfm_tensor_elements(o));
  }
  if (data_size) TFM_TRY(tfm_alloc_persistent(ctx, data_size, &node->data));
  *in = i;
  *out = o;
  return TFM_OK;
}

tfm_status tfm_expect_zero_point(tfm_context *ctx, const char *op, const char *role,
                                 const tfm_tensor *t, int32_t zp) {
  if (t->zero_point != zp) {
    return tfm_fail(ctx, TFM_UNSUPPORTED, "%s: %s zero point %d not supported (needs %d)", op, role,
                    t->zero_point, zp);
  }
  return TFM_OK;
}

int32_t tfm_type_min(tfm_type type) {
  switch (type) {
    case TFM_INT8: return -128;
    case TFM_INT16: return -32768;
    case TFM_INT32: return INT32_MIN;
    default: return 0;
  }
}

int32_t tfm_type_max(tfm_type type) {
  switch (type) {
    case TFM_INT8: return 127;
    case TFM_UINT8: return 255;
    case TFM_INT16: return 32767;
    case TFM_UINT16: return 65535;
    case TFM_INT32: return INT32_MAX;
    default: return 0;
  }
}

tfm_status tfm_channel_quant_prepare(tfm_context *ctx, const char *op, const tfm_tensor *t,
                                     const tfm_quant *q, tfm_channel_quant *cq) {
  cq->channels = 1;
  if (q->count <= 1) return TFM_OK;
  const int dim = q->quantized_dimension;
  if (dim < 0 || dim >= t->rank || t->dims[dim] != q->count) {
    return tfm_fail(ctx, TFM_BAD_MODEL, "%s: %d scales do not match dimension %d", op, q->count,
                    dim);
  }
  float *scales;
  int32_t *zps;
  TFM_TRY(tfm_alloc_persistent(ctx, (size_t)q->count * sizeof(float), (void **)&scales));
  TFM_TRY(tfm_alloc_persistent(ctx, (size_t)q->count * sizeof(int32_t), (void **)&zps));
  for (int32_t c = 0; c < q->count; ++c) {
    scales[c] = tfm_quant_scale(q, c);
    zps[c] = tfm_quant_zero_point(q, c);
  }
  cq->scales = scales;
  cq->zero_points = zps;
  cq->channels = q->count;
  cq->inner = 1;
  for (int i = dim + 1; i < t->rank; ++i) cq->inner *= t->dims[i];
  return TFM_OK;
}

typedef struct relux_data {
  int32_t multiplier;
  int shift;
  int32_t in_zp;
  int32_t out_zp;
  int32_t act_min;
  int32_t act_max;
  float upper;
} relux_data;

tfm_status tfm_relux_prepare(tfm_context *ctx, tfm_node *node, const char *op, float upper) {
  static const int kTypes[] = {TFM_INT8, TFM_INT16, TFM_FLOAT32, -1};
  const tfm_tensor *in, *out;
  TFM_TRY(tfm_unary_prepare(ctx, node, op, kTypes, true, sizeof(relux_data), &in, &out));
  relux_data *d = (relux_data *)node->data;
  d->upper = upper;
  if (in->type == TFM_FLOAT32) return TFM_OK;
  if (in->type == TFM_INT16) {
    TFM_TRY(tfm_expect_zero_point(ctx, op, "INT16 input", in, 0));
    TFM_TRY(tfm_expect_zero_point(ctx, op, "INT16 output", out, 0));
  }
  if (out->scale <= 0.0f) return tfm_fail(ctx, TFM_BAD_MODEL, "%s: output needs a positive scale", op);
  tfm_quantize_multiplier((double)in->scale / (double)out->scale, &d->multiplier, &d->shift);
  d->in_zp = in->zero_point;
  d->out_zp = out->zero_point;
  const tfm_type t = (tfm_type)out->type;
  const int32_t lo = tfm_round_to_i32(0.0f / out->scale, out->zero_point);
  d->act_min = lo > tfm_type_min(t) ? lo : tfm_type_min(t);
  d->act_max = tfm_type_max(t);
  if (upper >= 0.0f) {
    const int32_t hi = tfm_round_to_i32(upper / out->scale, out->zero_point);
    if (hi < d->act_max) d->act_max = hi;
  }
  return TFM_OK;
}

#define RELUX_Q_LOOP(T)                                                                  \
  TFM_UNARY_LOOP(T, in, out, n, y[i] = (T)relux_q(d, x))

/* Requantized and clamped RELU / RELU6 of one quantized value. */
static inline int32_t relux_q(const relux_data *d, int32_t x) {
  const int32_t v = tfm_add_wrap_i32(
      d->out_zp, tfm_multiply_by_quantized_multiplier(x - d->in_zp, d->multiplier, d->shift));
  return tfm_clamp_i32(v, d->act_min, d->act_max);
}

/* RELU / RELU6 of one float value, as TFLite's reference Relu/Relu6: clamps
 * only what compares below 0 / above upper, so NaN and -0 pass through. */
static inline float relux_f(const relux_data *d, float x) {
  const float v = x < 0.0f ? 0.0f : x;
  return d->upper >= 0.0f && v > d->upper ? d->upper : v;
}

tfm_status tfm_relux_eval(tfm_context *ctx, tfm_node *node) {
  const relux_data *d = (const relux_data *)node->data;
  const tfm_tensor *in = tfm_input(ctx, node, 0);
  tfm_tensor *out = tfm_output(ctx, node, 0);
  const int32_t n = tfm_tensor_elements(in);
  switch (in->type) {
    case TFM_FLOAT32: TFM_UNARY_LOOP(float, in, out, n, y[i] = relux_f(d, x)); break;
    case TFM_INT8: RELUX_Q_LOOP(int8_t); break;
    case TFM_INT16: RELUX_Q_LOOP(int16_t); break;
    default: return tfm_fail(ctx, TFM_UNSUPPORTED, "type %s not supported", tfm_type_name((tfm_type)in->type));
  }
  return TFM_OK;
}

/* sigmoid(i / 24) in Q0.16 for i = 0..255: TensorFlow Lite's table
 * (sigmoid_table_uint16, Apache-2.0). The values are not a plain rounding of
 * the formula, so bit-exactness needs them verbatim. */
static const uint16_t kSigmoidTable[256] = {
    32768, 33451, 34133, 34813, 35493, 36169, 36843, 37513, 38180, 38841, 39498, 40149,
    40794, 41432, 42064, 42688, 43304, 43912, 44511, 45102, 45683, 46255, 46817, 47369,
    47911, 48443, 48964, 49475, 49975, 50464, 50942, 51409, 51865, 52311, 52745, 53169,
    53581, 53983, 54374, 54755, 55125, 55485, 55834, 56174, 56503, 56823, 57133, 57433,
    57724, 58007, 58280, 58544, 58800, 59048, 59288, 59519, 59743, 59959, 60168, 60370,
    60565, 60753, 60935, 61110, 61279, 61441, 61599, 61750, 61896, 62036, 62172, 62302,
    62428, 62549, 62666, 62778, 62886, 62990, 63090, 63186, 63279, 63368, 63454, 63536,
    63615, 63691, 63765, 63835, 63903, 63968, 64030, 64090, 64148, 64204, 64257, 64308,
    64357, 64405, 64450, 64494, 64536, 64576, 64614, 64652, 64687, 64721, 64754, 64786,
    64816, 64845, 64873, 64900, 64926, 64950, 64974, 64997, 65019, 65039, 65060, 65079,
    65097, 65115, 65132, 65149, 65164, 65179, 65194, 65208, 65221, 65234, 65246, 65258,
    65269, 65280, 65291, 65301, 65310, 65319, 65328, 65337, 65345, 65352, 65360, 65367,
    65374, 65381, 65387, 65393, 65399, 65404, 65410, 65415, 65420, 65425, 65429, 65433,
    65438, 65442, 65445, 65449, 65453, 65456, 65459, 65462, 65465, 65468, 65471, 65474,
    65476, 65479, 65481, 65483, 65485, 65488, 65489, 65491, 65493, 65495, 65497, 65498,
    65500, 65501, 65503, 65504, 65505, 65507, 65508, 65509, 65510, 65511, 65512, 65513,
    65514, 65515, 65516, 65517, 65517, 65518, 65519, 65520, 65520, 65521, 65522, 65522,
    65523, 65523, 65524, 65524, 65525, 65525, 65526, 65526, 65526, 65527, 65527, 65528,
    65528, 65528, 65529, 65529, 65529, 65529, 65530, 65530, 65530, 65530, 65531, 65531,
    65531, 65531, 65531, 65532, 65532, 65532, 65532, 65532, 65532, 65533, 65533, 65533,
    65533, 65533, 65533, 65533, 65533, 65534, 65534, 65534, 65534, 65534, 65534, 65534,
    65534, 65534, 65534, 65535,
};

tfm_status tfm_sigmoid_i16_prepare(tfm_context *ctx, const char *op, const tfm_tensor *in,
                                   const tfm_tensor *out, bool is_tanh, int32_t *input_multiplier,
                                   int *input_left_shift) {
  TFM_TRY(tfm_expect_zero_point(ctx, op, "INT16 input", in, 0));
  TFM_TRY(tfm_expect_zero_point(ctx, op, "INT16 output", out, 0));
  int out_log2;
  if (!tfm_checked_log2(out->scale, &out_log2) || out_log2 != -15 ||
      (!is_tanh && (double)out->scale != 1.0 / 32768)) {
    return tfm_fail(ctx, TFM_UNSUPPORTED, "%s: INT16 output scale must be 1/32768", op);
  }
  int in_log2;
  bool pot = tfm_checked_log2(in->scale, &in_log2);
  int shift = 12 + in_log2;
  pot = pot && (shift == 0 || (is_tanh && shift == 1));
  int32_t mult = 0;
  if (!pot) {
    /* Bring the input to the table's scale 1 / (3 * 4096) with as many
     * bits as fit in 15. */
    double m = (double)in->scale * 4096.0 * 3.0;
    shift = 0;
    while (m <= 32767.0 / 2.0 && shift <= 30) {
      ++shift;
      m *= 2.0;
    }
    /* Larger multipliers overflow TFLite's int32 product x * multiplier; a
     * zero one would be taken for the power-of-two case (shift by 31). */
    if (!(m >= 1.0 && m <= 65535.0)) {
      return tfm_fail(ctx, TFM_UNSUPPORTED, "%s: INT16 input scale %f out of range", op,
                      (double)in->scale);
    }
    mult = (int32_t)m;
  }
  *input_multiplier = mult;
  *input_left_shift = shift;
  return TFM_OK;
}

void tfm_sigmoid_i16(int32_t input_multiplier, int input_left_shift, bool is_tanh, int32_t n,
                     const int16_t *x, int16_t *y) {
  if (input_multiplier == 0) { /* power-of-two scale */
    input_multiplier = 3 << input_left_shift;
    input_left_shift = 0;
  }
  const int32_t round = input_left_shift > 0 ? 1 << (input_left_shift - 1) : 0;
  /* sigmoid: 9 fraction bits of interpolation; tanh (input doubled): 8. */
  const int frac = is_tanh ? 8 : 9;
  for (int32_t i = 0; i < n; ++i) {
    const int32_t v = (x[i] * input_multiplier + round) >> input_left_shift;
    const uint32_t a = (uint32_t)(v < 0 ? -v : v);
    const uint32_t uh = a >> frac;
    uint32_t r;
    if (uh >= 255) {
      r = is_tanh ? 0xFFFFu << 8 : 0x7FFFu << 10;
    } else {
      const uint32_t ua = kSigmoidTable[uh], ub = kSigmoidTable[uh + 1];
      r = (ua << frac) + (a & ((1u << frac) - 1u)) * (ub - ua);
    }
    if (is_tanh) {
      int32_t t = (int32_t)r;
      t = v >= 0 ? t - (1 << 23) + (1 << 7) : -t + (1 << 23) + (1 << 7) - 1;
      y[i] = (int16_t)(t >> 8);
    } else {
      r = v >= 0 ? r + (1u << 9) : (1u << 25) - r + (1u << 9) - 1u;
      y[i] = (int16_t)(r >> 10);
    }
  }
}

typedef struct sigmoid_op_data {
  int8_t table[256];         /* int8 path */
  int32_t input_multiplier;  /* int16 path */
  int input_left_shift;
} sigmoid_op_data;

tfm_status tfm_sigmoid_op_prepare(tfm_context *ctx, tfm_node *node, const tfm_sigmoid_op *op) {
  static const int kTypes[] = {TFM_INT8, TFM_INT16, TFM_FLOAT32, -1};
  const tfm_tensor *in, *out;
  TFM_TRY(tfm_unary_prepare(ctx, node, op->name, kTypes, true, sizeof(sigmoid_op_data), &in, &out));
  sigmoid_op_data *d = (sigmoid_op_data *)node->data;
  if (in->type == TFM_INT8) {
    if (!op->is_tanh && (double)out->scale != 1.0 / 256) {
      return tfm_fail(ctx, TFM_UNSUPPORTED, "%s: INT8 output scale must be 1/256", op->name);
    }
    tfm_lut_populate_i8(in->scale, in->zero_point, out->scale, out->zero_point, op->lut_fn,
                        d->table);
  } else if (in->type == TFM_INT16) {
    TFM_TRY(tfm_sigmoid_i16_prepare(ctx, op->name, in, out, op->is_tanh, &d->input_multiplier,
                                    &d->input_left_shift));
  }
  return TFM_OK;
}

tfm_status tfm_sigmoid_op_eval(tfm_context *ctx, tfm_node *node, const tfm_sigmoid_op *op) {
  const sigmoid_op_data *d = (const sigmoid_op_data *)node->data;
  const tfm_tensor *in = tfm_input(ctx, node, 0);
  tfm_tensor *out = tfm_output(ctx, node, 0);
  const int32_t n = tfm_tensor_elements(in);
  switch (in->type) {
    case TFM_FLOAT32: TFM_UNARY_LOOP(float, in, out, n, y[i] = op->float_fn(x)); break;
    case TFM_INT8: TFM_UNARY_LOOP(int8_t, in, out, n, y[i] = d->table[(uint8_t)x]); break;
    default:
      tfm_sigmoid_i16(d->input_multiplier, d->input_left_shift, op->is_tanh, n,
                      (const int16_t *)in->data, (int16_t *)out->data);
      break;
  }
  return TFM_OK;
}
