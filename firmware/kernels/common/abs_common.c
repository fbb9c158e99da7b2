/* ABS: float32, int8 and int16 (quantized: |x - zero_point| rescaled by
 * input_scale / output_scale when the scales differ, as TFLite's
 * AbsEvalQuantized; int16 without quantization: plain |x|), int32. */
#include "common/abs.h"

#include "common/activation_common.h"
#include "internal/fmath.h"
#include "internal/quant.h"
#include "tfm/kernels.h"

typedef struct abs_data {
  int32_t multiplier;
  int shift;
  int32_t in_offset;  /* input zero point */
  int32_t out_offset; /* output zero point */
  bool rescale;
} abs_data;

tfm_status tfm_abs_prepare(tfm_context *ctx, tfm_node *node) {
  static const int kTypes[] = {TFM_FLOAT32, TFM_INT8, TFM_INT16, TFM_INT32, -1};
  const tfm_tensor *in, *out;
  TFM_TRY(tfm_unary_prepare(ctx, node, "ABS", kTypes, true, sizeof(abs_data), &in, &out));
  abs_data *d = (abs_data *)node->data;
  const bool quantized = in->type == TFM_INT8 || (in->type == TFM_INT16 && in->scale != 0.0f);
  if (!quantized) return TFM_OK;
  if (!(in->scale > 0.0f) || !(out->scale > 0.0f)) {
    return tfm_fail(ctx, TFM_BAD_MODEL, "ABS: quantized input and output need positive scales");
  }
  if (in->type == TFM_INT16) {
    TFM_TRY(tfm_expect_zero_point(ctx, "ABS", "INT16 input", in, 0));
    TFM_TRY(tfm_expect_zero_point(ctx, "ABS", "INT16 output", out, 0));
  }
  d->in_offset = in->zero_point;
  d->out_offset = out->zero_point;
  d->rescale = in->scale != out->scale;
  /* TFLite divides in float, then widens to double. */
  if (d->rescale) tfm_quantize_multiplier((double)(in->scale / out->scale), &d->multiplier, &d->shift);
  return TFM_OK;
}

static inline int32_t abs_q(const abs_data *d, int32_t x, int32_t lo, int32_t hi) {
  const int32_t v = x - d->in_offset;
  const int32_t a = v < 0 ? -v : v;
  const int32_t r = d->rescale ? tfm_multiply_by_quantized_multiplier(a, d->multiplier, d->shift) : a;
  return tfm_clamp_i32(tfm_add_wrap_i32(r, d->out_offset), lo, hi);
}

tfm_status tfm_abs_eval_reference(tfm_context *ctx, tfm_node *node) {
  const abs_data *d = (const abs_data *)node->data;
  const tfm_tensor *in = tfm_input(ctx, node, 0);
  tfm_tensor *out = tfm_output(ctx, node, 0);
  const int32_t n = tfm_tensor_elements(in);
  switch (in->type) {
    case TFM_FLOAT32: /* clears the sign bit: |-0| = 0, NaN stays NaN */
      TFM_UNARY_LOOP(float, in, out, n, y[i] = tfm_f32_from_bits(tfm_f32_bits(x) & 0x7fffffffu));
      break;
    case TFM_INT32: /* |INT32_MIN| wraps to INT32_MIN, as compiled TFLite */
      TFM_UNARY_LOOP(int32_t, in, out, n, y[i] = x < 0 ? tfm_wrap_i32(0u - (uint32_t)x) : x);
      break;
    case TFM_INT8: TFM_UNARY_LOOP(int8_t, in, out, n, y[i] = (int8_t)abs_q(d, x, -128, 127)); break;
    case TFM_INT16:
      if (in->scale == 0.0f) { /* not quantized: |-32768| wraps as TFLite's cast */
        TFM_UNARY_LOOP(int16_t, in, out, n, y[i] = (int16_t)(uint16_t)(x < 0 ? -(int32_t)x : x));
      } else {
        TFM_UNARY_LOOP(int16_t, in, out, n, y[i] = (int16_t)abs_q(d, x, -32768, 32767));
      }
      break;
    default:
      return tfm_fail(ctx, TFM_UNSUPPORTED, "type %s not supported", tfm_type_name((tfm_type)in->type));
  }
  return TFM_OK;
}
