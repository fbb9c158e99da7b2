/* HARD_SWISH shared pieces: prepare and the reference eval (see
 * common/hard_swish.h). */
#include "common/hard_swish.h"

#include "common/activation_common.h"
#include "internal/quant.h"

/* Round a Q0.31 multiplier to Q0.15 (TFLite DownScaleInt32ToInt16Multiplier). */
static int16_t to_q15(int32_t m) {
  if (m >= INT32_MAX - (1 << 15)) return INT16_MAX;
  return (int16_t)((m + (1 << 15)) >> 16);
}

tfm_status tfm_hard_swish_prepare(tfm_context *ctx, tfm_node *node) {
  static const int kTypes[] = {TFM_INT8, TFM_FLOAT32, -1};
  const tfm_tensor *in, *out;
  TFM_TRY(tfm_unary_prepare(ctx, node, "HARD_SWISH", kTypes, true, sizeof(TfmHardSwishData), &in,
                            &out));
  if (in->type == TFM_FLOAT32) return TFM_OK;
  TfmHardSwishData *d = (TfmHardSwishData *)node->data;
  d->in_zp = in->zero_point;
  d->out_zp = out->zero_point;
  const float hires_input_scale = (1.0f / 128.0f) * in->scale;
  const float reluish_scale = 3.0f / 32768.0f;
  int32_t m;
  tfm_quantize_multiplier((double)(hires_input_scale / out->scale), &m, &d->out_exp);
  d->out_mult = to_q15(m);
  if (d->out_exp > 0) {
    return tfm_fail(ctx, TFM_UNSUPPORTED, "HARD_SWISH: input/output scale ratio %f too large",
                    (double)(in->scale / out->scale));
  }
  tfm_quantize_multiplier((double)(hires_input_scale / reluish_scale), &m, &d->reluish_exp);
  d->reluish_mult = to_q15(m);
  return TFM_OK;
}

static int16_t sat16(int32_t x) { return (int16_t)tfm_clamp_i32(x, -32768, 32767); }

/* gemmlowp SaturatingRoundingDoublingHighMul on int16. */
static int16_t srdhm16(int16_t a, int16_t b) {
  if (a == b && a == INT16_MIN) return INT16_MAX;
  const int32_t ab = (int32_t)a * (int32_t)b;
  const int32_t nudge = ab >= 0 ? (1 << 14) : (1 - (1 << 14));
  return (int16_t)((ab + nudge) / (1 << 15));
}

/* Doubling high multiply without rounding (truncates toward zero). */
static int16_t sdhm16(int16_t a, int16_t b) {
  if (a == b && a == INT16_MIN) return INT16_MAX;
  return (int16_t)(((int32_t)a * (int32_t)b) / (1 << 15));
}

tfm_status tfm_hard_swish_eval_reference(tfm_context *ctx, tfm_node *node) {
  const tfm_tensor *in = tfm_input(ctx, node, 0);
  tfm_tensor *out = tfm_output(ctx, node, 0);
  const int32_t n = tfm_tensor_elements(in);
  if (in->type == TFM_FLOAT32) {
    const float *x = (const float *)in->data;
    float *y = (float *)out->data;
    for (int32_t i = 0; i < n; ++i) {
      const float v = x[i];
      const float r = tfm_clamp_f32(v + 3.0f, 0.0f, 6.0f);
      y[i] = v * r / 6.0f;
    }
    return TFM_OK;
  }
  const TfmHardSwishData *d = (const TfmHardSwishData *)node->data;
  const int8_t *x = (const int8_t *)in->data;
  int8_t *y = (int8_t *)out->data;
  for (int32_t i = 0; i < n; ++i) {
    const int16_t v = (int16_t)(x[i] - d->in_zp);
    const int16_t hires = (int16_t)(v * (1 << 7));
    const int16_t preshift_out = srdhm16(hires, d->out_mult);
    int16_t reluish = hires;
    /* Saturating left shift in two steps so that only the last one can
     * saturate (TFLite's careful handling of large multipliers). */
    if (d->reluish_exp > 0) reluish = sat16((int32_t)reluish * (1 << (d->reluish_exp - 1)));
    reluish = srdhm16(reluish, d->reluish_mult);
    if (d->reluish_exp > 0) reluish = sat16((int32_t)reluish * 2);
    if (d->reluish_exp < 0) reluish = (int16_t)tfm_rounding_divide_by_pot(reluish, -d->reluish_exp);
    reluish = (int16_t)((reluish + (1 << 15)) >> 1); /* [-1, 1] -> [0, 1] */
    const int16_t preshift = sdhm16(reluish, preshift_out);
    int32_t o = tfm_rounding_divide_by_pot(preshift, -d->out_exp) + d->out_zp;
    y[i] = (int8_t)tfm_clamp_i32((int16_t)o, -128, 127);
  }
  return TFM_OK;
}
