/* LEAKY_RELU shared pieces: prepare and the reference eval (see
 * common/leaky_relu.h). */
#include "common/leaky_relu.h"

#include "common/activation_common.h"
#include "internal/quant.h"

tfm_status tfm_leaky_relu_prepare(tfm_context *ctx, tfm_node *node) {
  static const int kTypes[] = {TFM_INT8, TFM_INT16, TFM_FLOAT32, -1};
  const tfm_tensor *in, *out;
  TFM_TRY(tfm_unary_prepare(ctx, node, "LEAKY_RELU", kTypes, true, sizeof(TfmLeakyReluData), &in,
                            &out));
  TfmLeakyReluData *d = (TfmLeakyReluData *)node->data;
  d->alpha = tfm_opt_f32(node, 4, 0.0f);
  if (in->type == TFM_FLOAT32) return TFM_OK;
  if (in->type == TFM_INT16) {
    TFM_TRY(tfm_expect_zero_point(ctx, "LEAKY_RELU", "INT16 input", in, 0));
    TFM_TRY(tfm_expect_zero_point(ctx, "LEAKY_RELU", "INT16 output", out, 0));
  }
  if (out->scale <= 0.0f) return tfm_fail(ctx, TFM_BAD_MODEL, "LEAKY_RELU: output needs a positive scale");
  const float alpha_real = in->scale * d->alpha / out->scale; /* float math, as TFLite */
  tfm_quantize_multiplier((double)alpha_real, &d->mult_alpha, &d->shift_alpha);
  tfm_quantize_multiplier((double)in->scale / (double)out->scale, &d->mult_identity,
                          &d->shift_identity);
  d->in_zp = in->zero_point;
  d->out_zp = out->zero_point;
  return TFM_OK;
}

/* Requantized LEAKY_RELU of one quantized value, clamped to [lo, hi]. */
static inline int32_t leaky_q(const TfmLeakyReluData *d, int32_t x, int32_t lo, int32_t hi) {
  const int32_t v = x - d->in_zp;
  const int32_t scaled =
      v >= 0 ? tfm_multiply_by_quantized_multiplier(v, d->mult_identity, d->shift_identity)
             : tfm_multiply_by_quantized_multiplier(v, d->mult_alpha, d->shift_alpha);
  return tfm_clamp_i32(tfm_add_wrap_i32(d->out_zp, scaled), lo, hi);
}

tfm_status tfm_leaky_relu_eval_reference(tfm_context *ctx, tfm_node *node) {
  const TfmLeakyReluData *d = (const TfmLeakyReluData *)node->data;
  const tfm_tensor *in = tfm_input(ctx, node, 0);
  tfm_tensor *out = tfm_output(ctx, node, 0);
  const int32_t n = tfm_tensor_elements(in);
  switch (in->type) {
    case TFM_FLOAT32:
      TFM_UNARY_LOOP(float, in, out, n, y[i] = x > 0.0f ? x : x * d->alpha);
      break;
    case TFM_INT8:
      TFM_UNARY_LOOP(int8_t, in, out, n, y[i] = (int8_t)leaky_q(d, x, -128, 127));
      break;
    case TFM_INT16:
      TFM_UNARY_LOOP(int16_t, in, out, n, y[i] = (int16_t)leaky_q(d, x, -32768, 32767));
      break;
    default: return tfm_fail(ctx, TFM_UNSUPPORTED, "type %s not supported", tfm_type_name((tfm_type)in->type));
  }
  return TFM_OK;
}
