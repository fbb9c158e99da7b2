/* QUANTIZE shared pieces: prepare and the reference eval (see
 * common/quantize.h). */
#include "common/quantize.h"

#include "common/activation_common.h"
#include "internal/quant.h"

tfm_status tfm_quantize_prepare(tfm_context *ctx, tfm_node *node) {
  static const int kTypes[] = {TFM_FLOAT32, TFM_INT8, TFM_UINT8, TFM_INT16, -1};
  const tfm_tensor *in, *out;
  TFM_TRY(tfm_unary_prepare(ctx, node, "QUANTIZE", kTypes, false, sizeof(TfmQuantizeData), &in,
                            &out));
  TfmQuantizeData *d = (TfmQuantizeData *)node->data;
  const bool out_ok = out->type == TFM_INT8 || out->type == TFM_UINT8 || out->type == TFM_INT16 ||
                      (in->type != TFM_FLOAT32 && out->type == TFM_INT32);
  if (!out_ok) {
    return tfm_fail(ctx, TFM_UNSUPPORTED, "QUANTIZE: input %s with output %s not supported",
                    tfm_type_name((tfm_type)in->type), tfm_type_name((tfm_type)out->type));
  }
  tfm_quant q;
  TFM_TRY(tfm_tensor_quant(ctx, out, &q));
  if (q.count < 1 || out->scale <= 0.0f) {
    return tfm_fail(ctx, TFM_BAD_MODEL, "QUANTIZE: output has no quantization scale");
  }
  if (in->type != TFM_FLOAT32) {
    if (q.count > 1) return tfm_fail(ctx, TFM_UNSUPPORTED, "QUANTIZE: per-channel requantize not supported");
    tfm_quantize_multiplier((double)in->scale / (double)out->scale, &d->multiplier, &d->shift);
    return TFM_OK;
  }
  return tfm_channel_quant_prepare(ctx, "QUANTIZE", out, &q, &d->cq);
}

static int32_t quantize_f(float v, float scale, int32_t zp, int32_t lo, int32_t hi) {
  const float r = tfm_roundf(v / scale);
  /* Saturate before converting: out-of-range float -> int is undefined. */
  if (r >= 2147483520.0f) return hi;
  if (r <= -2147483520.0f) return lo;
  return tfm_clamp_i32((int32_t)r + zp, lo, hi);
}

static void store(void *p, tfm_type t, int32_t i, int32_t v) {
  switch (t) {
    case TFM_INT8: ((int8_t *)p)[i] = (int8_t)v; break;
    case TFM_UINT8: ((uint8_t *)p)[i] = (uint8_t)v; break;
    case TFM_INT16: ((int16_t *)p)[i] = (int16_t)v; break;
    default: ((int32_t *)p)[i] = v; break;
  }
}

tfm_status tfm_quantize_eval_reference(tfm_context *ctx, tfm_node *node) {
  const TfmQuantizeData *d = (const TfmQuantizeData *)node->data;
  const tfm_tensor *in = tfm_input(ctx, node, 0);
  tfm_tensor *out = tfm_output(ctx, node, 0);
  const tfm_type ot = (tfm_type)out->type;
  const int32_t lo = tfm_type_min(ot), hi = tfm_type_max(ot);
  const int32_t n = tfm_tensor_elements(in);
  if (in->type == TFM_FLOAT32) {
    const float *x = (const float *)in->data;
    for (int32_t i = 0; i < n; ++i) {
      const int32_t c = d->cq.channels > 1 ? tfm_channel_of(&d->cq, i) : 0;
      const float s = d->cq.channels > 1 ? d->cq.scales[c] : out->scale;
      const int32_t zp = d->cq.channels > 1 ? d->cq.zero_points[c] : out->zero_point;
      store(out->data, ot, i, quantize_f(x[i], s, zp, lo, hi));
    }
    return TFM_OK;
  }
  const tfm_type it = (tfm_type)in->type;
  for (int32_t i = 0; i < n; ++i) {
    const int32_t x = tfm_load_quantized(in->data, it, i) - in->zero_point;
    const int32_t v = tfm_multiply_by_quantized_multiplier(x, d->multiplier, d->shift) +
                      out->zero_point;
    store(out->data, ot, i, tfm_clamp_i32(v, lo, hi));
  }
  (void)ctx;
  return TFM_OK;
}
