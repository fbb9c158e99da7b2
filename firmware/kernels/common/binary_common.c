#include "common/binary_common.h"

#include "internal/fixedpoint.h"
#include "internal/quant.h"

tfm_status tfm_bcast_prepare(tfm_context *ctx, const char *op, const tfm_tensor *in1,
                             const tfm_tensor *in2, const tfm_tensor *out, tfm_bcast *bc) {
  const int r1 = in1->rank, r2 = in2->rank, ro = out->rank;
  const int rank = r1 > r2 ? r1 : r2;
  if (rank > TFM_MAX_DIMS || ro != rank) {
    return tfm_fail(ctx, TFM_UNSUPPORTED, "%s: input ranks %d and %d with output rank %d not supported",
                    op, r1, r2, ro);
  }
  int32_t s1 = 1, s2 = 1;
  bc->broadcast = false;
  bc->count = 1;
  for (int d = TFM_MAX_DIMS - 1; d >= 0; --d) {
    const int back = TFM_MAX_DIMS - 1 - d; /* 0 = innermost */
    const int32_t d1 = back < r1 ? in1->dims[r1 - 1 - back] : 1;
    const int32_t d2 = back < r2 ? in2->dims[r2 - 1 - back] : 1;
    const int32_t dout = back < ro ? out->dims[ro - 1 - back] : 1;
    int32_t want;
    if (d1 == d2) want = d1;
    else if (d1 == 1) want = d2;
    else if (d2 == 1) want = d1;
    else return tfm_fail(ctx, TFM_BAD_MODEL, "%s: input dims %d and %d do not broadcast", op, d1, d2);
    if (want != dout) {
      return tfm_fail(ctx, TFM_BAD_MODEL, "%s: output dim %d is %d, broadcast gives %d", op,
                      ro - 1 - back, dout, want);
    }
    if (d1 != dout || d2 != dout || r1 != r2) bc->broadcast = true;
    bc->dims[d] = dout;
    bc->stride1[d] = d1 == 1 ? 0 : s1;
    bc->stride2[d] = d2 == 1 ? 0 : s2;
    s1 *= d1;
    s2 *= d2;
    bc->count *= dout;
  }
  return TFM_OK;
}

void tfm_activation_range_i32(int activation, int32_t *act_min, int32_t *act_max) {
  switch (activation) {
    case TFM_ACT_RELU: *act_min = 0; *act_max = INT32_MAX; break;
    case TFM_ACT_RELU6: *act_min = 0; *act_max = 6; break;
    case TFM_ACT_RELU_N1_TO_1: *act_min = -1; *act_max = 1; break;
    default: *act_min = INT32_MIN; *act_max = INT32_MAX; break;
  }
}

tfm_status tfm_binary_prepare(tfm_context *ctx, tfm_node *node, const char *op,
                              const int *types, bool has_activation, tfm_binary_data **out) {
  if (node->num_inputs != 2 || node->num_outputs != 1) {
    return tfm_fail(ctx, TFM_BAD_MODEL, "%s: expects 2 inputs and 1 output, got %d and %d", op,
                    node->num_inputs, node->num_outputs);
  }
  const tfm_tensor *in1 = tfm_input(ctx, node, 0);
  const tfm_tensor *in2 = tfm_input(ctx, node, 1);
  const tfm_tensor *o = tfm_output(ctx, node, 0);
  if (!in1 || !in2 || !o) return tfm_fail(ctx, TFM_BAD_MODEL, "%s: missing input or output", op);
  if (in1->type != in2->type || in1->type != o->type) {
    return tfm_fail(ctx, TFM_UNSUPPORTED, "%s: input types %s, %s with output type %s not supported",
                    op, tfm_type_name((tfm_type)in1->type), tfm_type_name((tfm_type)in2->type),
                    tfm_type_name((tfm_type)o->type));
  }
  bool ok = false;
  for (const int *t = types; *t >= 0; ++t) ok = ok || *t == in1->type;
  if (!ok) {
    return tfm_fail(ctx, TFM_UNSUPPORTED, "%s: type %s not supported", op,
                    tfm_type_name((tfm_type)in1->type));
  }
  tfm_binary_data *data;
  TFM_TRY(tfm_alloc_persistent(ctx, sizeof(*data), (void **)&data));
  TFM_TRY(tfm_bcast_prepare(ctx, op, in1, in2, o, &data->bc));
  const int act = has_activation ? tfm_opt_i8(node, 4, TFM_ACT_NONE) : TFM_ACT_NONE;
  if (act != TFM_ACT_NONE && act != TFM_ACT_RELU && act != TFM_ACT_RELU6 &&
      act != TFM_ACT_RELU_N1_TO_1) {
    return tfm_fail(ctx, TFM_UNSUPPORTED, "%s: fused activation %d not supported", op, act);
  }
  data->in1_offset = -in1->zero_point;
  data->in2_offset = -in2->zero_point;
  data->out_offset = o->zero_point;
  tfm_activation_range_float(act, &data->f_act_min, &data->f_act_max);
  if (o->type == TFM_INT32) {
    tfm_activation_range_i32(act, &data->act_min, &data->act_max);
  } else {
    tfm_activation_range_quantized(act, (tfm_type)o->type, o->scale, o->zero_point,
                                   &data->act_min, &data->act_max);
  }
  node->data = data;
  *out = data;
  return TFM_OK;
}

tfm_status tfm_add_sub_prepare(tfm_context *ctx, tfm_node *node, const char *op) {
  static const int kTypes[] = {TFM_INT8, TFM_INT16, TFM_INT32, TFM_FLOAT32, -1};
  tfm_binary_data *data;
  TFM_TRY(tfm_binary_prepare(ctx, node, op, kTypes, true, &data));
  const tfm_tensor *in1 = tfm_input(ctx, node, 0);
  const tfm_tensor *in2 = tfm_input(ctx, node, 1);
  const tfm_tensor *o = tfm_output(ctx, node, 0);
  if (o->type != TFM_INT8 && o->type != TFM_INT16) return TFM_OK;
  if (in1->scale <= 0.0f || in2->scale <= 0.0f || o->scale <= 0.0f) {
    return tfm_fail(ctx, TFM_BAD_MODEL, "%s: quantized tensors need a positive scale", op);
  }
  if (o->type == TFM_INT16) {
    if (in1->zero_point != 0 || in2->zero_point != 0 || o->zero_point != 0) {
      return tfm_fail(ctx, TFM_UNSUPPORTED, "%s: INT16 needs zero points of 0 (got %d, %d, %d)", op,
                      in1->zero_point, in2->zero_point, o->zero_point);
    }
    /* TFLite takes a power-of-two shift path when pot_scale_int16 is set
     * (the default) and every scale is a power of two. */
    int l1, l2, lo;
    const bool pot = tfm_opt_bool(node, 6, true) && tfm_checked_log2(in1->scale, &l1) &&
                     tfm_checked_log2(in2->scale, &l2) && tfm_checked_log2(o->scale, &lo);
    if (pot) {
      data->pot_int16 = true;
      data->in1_shift = l1 - lo;
      data->in2_shift = l2 - lo;
      if ((data->in1_shift != 0 && data->in2_shift != 0) || data->in1_shift > 0 ||
          data->in2_shift > 0 || data->bc.broadcast) {
        return tfm_fail(ctx, TFM_UNSUPPORTED,
                        "%s: INT16 power-of-two scales with shifts %d, %d%s not supported", op,
                        data->in1_shift, data->in2_shift, data->bc.broadcast ? " and broadcast" : "");
      }
      /* An int16 value shifted right by 31 or more rounds to 0 either way:
       * clamping keeps the shift defined in C. */
      if (data->in1_shift < -31) data->in1_shift = -31;
      if (data->in2_shift < -31) data->in2_shift = -31;
      return TFM_OK;
    }
  }
  data->left_shift = o->type == TFM_INT16 ? 15 : 20;
  /* Same float/double mix as TFLite: 2 * max(float, float) is a float. */
  const float max_scale = in1->scale > in2->scale ? in1->scale : in2->scale;
  const double twice_max = (double)(2.0f * max_scale);
  const double out_div = (double)((float)(1 << data->left_shift) * o->scale);
  tfm_quantize_multiplier((double)in1->scale / twice_max, &data->in1_multiplier, &data->in1_shift);
  tfm_quantize_multiplier((double)in2->scale / twice_max, &data->in2_multiplier, &data->in2_shift);
  tfm_quantize_multiplier(twice_max / out_div, &data->out_multiplier, &data->out_shift);
  return TFM_OK;
}

/* TFLite's quantized add/sub of one element pair (general rescaling). */
static inline int32_t add_sub_q(const tfm_binary_data *d, int32_t a, int32_t b, int sign) {
  const int32_t x = (int32_t)((uint32_t)(d->in1_offset + a) << d->left_shift);
  const int32_t y = (int32_t)((uint32_t)(d->in2_offset + b) << d->left_shift);
  const int32_t sx = tfm_multiply_by_quantized_multiplier(x, d->in1_multiplier, d->in1_shift);
  const int32_t sy = tfm_multiply_by_quantized_multiplier(y, d->in2_multiplier, d->in2_shift);
  /* Wrapping sums (internal/quant.h): hostile scales can make them overflow. */
  const int32_t raw = tfm_add_wrap_i32(sx, sign > 0 ? sy : tfm_wrap_i32(0u - (uint32_t)sy));
  const int32_t res = tfm_add_wrap_i32(
      tfm_multiply_by_quantized_multiplier(raw, d->out_multiplier, d->out_shift), d->out_offset);
  return tfm_clamp_i32(res, d->act_min, d->act_max);
}

/* Power-of-two int16 ADD/SUB (same shapes): one input is right-shifted to
 * the output scale, then a saturating Q0.15 add or subtract. */
static void add_sub_pot_i16(const tfm_binary_data *d, const int16_t *a, const int16_t *b,
                            int16_t *o, int sign) {
  const int shift_a = -d->in1_shift, shift_b = -d->in2_shift; /* one of them is 0 */
  for (int32_t i = 0; i < d->bc.count; ++i) {
    const int32_t x = tfm_rounding_divide_by_pot(a[i], shift_a);
    const int32_t y = tfm_rounding_divide_by_pot(b[i], shift_b);
    const int32_t s = tfm_clamp_i32(sign > 0 ? x + y : x - y, -32768, 32767);
    o[i] = (int16_t)tfm_clamp_i32(s, d->act_min, d->act_max);
  }
}

tfm_status tfm_add_sub_eval(tfm_context *ctx, tfm_node *node, int sign) {
  const tfm_binary_data *d = (const tfm_binary_data *)node->data;
  const tfm_tensor *in1 = tfm_input(ctx, node, 0);
  const tfm_tensor *in2 = tfm_input(ctx, node, 1);
  tfm_tensor *o = tfm_output(ctx, node, 0);
  tfm_bcast_it it;
  tfm_bcast_begin(&it);
  switch (o->type) {
    case TFM_FLOAT32:
      TFM_BCAST_LOOP(float, &d->bc, it, in1, in2, o,
                     y[i] = tfm_clamp_f32(sign > 0 ? x1 + x2 : x1 - x2, d->f_act_min,
                                          d->f_act_max));
      break;
    case TFM_INT32: /* wraps */
      TFM_BCAST_LOOP(int32_t, &d->bc, it, in1, in2, o,
                     const uint32_t r = sign > 0 ? (uint32_t)x1 + (uint32_t)x2
                                                 : (uint32_t)x1 - (uint32_t)x2;
                     y[i] = tfm_clamp_i32((int32_t)r, d->act_min, d->act_max));
      break;
    case TFM_INT8:
      TFM_BCAST_LOOP(int8_t, &d->bc, it, in1, in2, o,
                     y[i] = (int8_t)add_sub_q(d, x1, x2, sign));
      break;
    case TFM_INT16:
      if (d->pot_int16) {
        add_sub_pot_i16(d, (const int16_t *)in1->data, (const int16_t *)in2->data,
                        (int16_t *)o->data, sign);
        break;
      }
      TFM_BCAST_LOOP(int16_t, &d->bc, it, in1, in2, o,
                     y[i] = (int16_t)add_sub_q(d, x1, x2, sign));
      break;
    default:
      return tfm_fail(ctx, TFM_UNSUPPORTED, "type %s not supported", tfm_type_name((tfm_type)o->type));
  }
  return TFM_OK;
}

tfm_status tfm_max_min_prepare(tfm_context *ctx, tfm_node *node, const char *op) {
  static const int kTypes[] = {TFM_INT8, TFM_INT16, TFM_INT32, TFM_FLOAT32, -1};
  tfm_binary_data *data;
  return tfm_binary_prepare(ctx, node, op, kTypes, false, &data);
}

#define MAX_MIN_LOOP(T)                   \
  TFM_BCAST_LOOP(T, &d->bc, it, in1, in2, o, \
                 y[i] = is_max ? (x1 > x2 ? x1 : x2) : (x1 < x2 ? x1 : x2))

tfm_status tfm_max_min_eval(tfm_context *ctx, tfm_node *node, bool is_max) {
  const tfm_binary_data *d = (const tfm_binary_data *)node->data;
  const tfm_tensor *in1 = tfm_input(ctx, node, 0);
  const tfm_tensor *in2 = tfm_input(ctx, node, 1);
  tfm_tensor *o = tfm_output(ctx, node, 0);
  tfm_bcast_it it;
  tfm_bcast_begin(&it);
  switch (o->type) {
    case TFM_FLOAT32: MAX_MIN_LOOP(float); break;
    case TFM_INT32: MAX_MIN_LOOP(int32_t); break;
    case TFM_INT16: MAX_MIN_LOOP(int16_t); break;
    case TFM_INT8: MAX_MIN_LOOP(int8_t); break;
    default:
      return tfm_fail(ctx, TFM_UNSUPPORTED, "type %s not supported", tfm_type_name((tfm_type)o->type));
  }
  return TFM_OK;
}
