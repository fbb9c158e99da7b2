/* MUL shared pieces: prepare and the reference eval (see
 * common/mul.h). */
#include "common/mul.h"

#include "common/binary_common.h"
#include "internal/quant.h"

tfm_status tfm_mul_prepare(tfm_context *ctx, tfm_node *node) {
  static const int kTypes[] = {TFM_INT8, TFM_INT16, TFM_INT32, TFM_FLOAT32, -1};
  tfm_binary_data *d;
  TFM_TRY(tfm_binary_prepare(ctx, node, "MUL", kTypes, true, &d));
  const tfm_tensor *a = tfm_input(ctx, node, 0);
  const tfm_tensor *b = tfm_input(ctx, node, 1);
  const tfm_tensor *o = tfm_output(ctx, node, 0);
  if (o->type == TFM_INT16 && (a->zero_point != 0 || b->zero_point != 0 || o->zero_point != 0)) {
    return tfm_fail(ctx, TFM_UNSUPPORTED, "MUL: INT16 needs zero points of 0 (got %d, %d, %d)",
                    a->zero_point, b->zero_point, o->zero_point);
  }
  if (o->type == TFM_INT8 || o->type == TFM_INT16) {
    if (o->scale <= 0.0f) return tfm_fail(ctx, TFM_BAD_MODEL, "MUL: output needs a positive scale");
    /* float arithmetic, then widened: as TFLite. */
    const float real = a->scale * b->scale / o->scale;
    tfm_quantize_multiplier((double)real, &d->out_multiplier, &d->out_shift);
  }
  return TFM_OK;
}

/* Quantized product of one element pair. */
static inline int32_t mul_q(const tfm_binary_data *d, int32_t a, int32_t b) {
  const int32_t p = (d->in1_offset + a) * (d->in2_offset + b);
  const int32_t r = tfm_add_wrap_i32(
      d->out_offset, tfm_multiply_by_quantized_multiplier(p, d->out_multiplier, d->out_shift));
  return tfm_clamp_i32(r, d->act_min, d->act_max);
}

tfm_status tfm_mul_eval_reference(tfm_context *ctx, tfm_node *node) {
  const tfm_binary_data *d = (const tfm_binary_data *)node->data;
  const tfm_tensor *in1 = tfm_input(ctx, node, 0);
  const tfm_tensor *in2 = tfm_input(ctx, node, 1);
  tfm_tensor *o = tfm_output(ctx, node, 0);
  tfm_bcast_it it;
  tfm_bcast_begin(&it);
  switch (o->type) {
    case TFM_FLOAT32:
      TFM_BCAST_LOOP(float, &d->bc, it, in1, in2, o,
                     y[i] = tfm_clamp_f32(x1 * x2, d->f_act_min, d->f_act_max));
      break;
    case TFM_INT32: /* the product wraps */
      TFM_BCAST_LOOP(int32_t, &d->bc, it, in1, in2, o,
                     y[i] = tfm_clamp_i32((int32_t)((uint32_t)x1 * (uint32_t)x2), d->act_min,
                                          d->act_max));
      break;
    case TFM_INT8:
      TFM_BCAST_LOOP(int8_t, &d->bc, it, in1, in2, o, y[i] = (int8_t)mul_q(d, x1, x2));
      break;
    case TFM_INT16:
      TFM_BCAST_LOOP(int16_t, &d->bc, it, in1, in2, o, y[i] = (int16_t)mul_q(d, x1, x2));
      break;
    default:
      return tfm_fail(ctx, TFM_UNSUPPORTED, "MUL: type %s not supported",
                      tfm_type_name((tfm_type)o->type));
  }
  return TFM_OK;
}
