/* PRELU shared pieces: prepare and the reference eval (see
 * common/prelu.h). */
#include "common/prelu.h"

#include "common/binary_common.h"
#include "internal/quant.h"

tfm_status tfm_prelu_prepare(tfm_context *ctx, tfm_node *node) {
  if (node->num_inputs != 2 || node->num_outputs != 1) {
    return tfm_fail(ctx, TFM_BAD_MODEL, "PRELU: expects 2 inputs and 1 output");
  }
  const tfm_tensor *in = tfm_input(ctx, node, 0);
  const tfm_tensor *alpha = tfm_input(ctx, node, 1);
  const tfm_tensor *out = tfm_output(ctx, node, 0);
  if (!in || !alpha || !out) return tfm_fail(ctx, TFM_BAD_MODEL, "PRELU: missing input or output");
  if (in->type != alpha->type || in->type != out->type ||
      (in->type != TFM_INT8 && in->type != TFM_FLOAT32)) {
    return tfm_fail(ctx, TFM_UNSUPPORTED, "PRELU: input %s, alpha %s, output %s not supported",
                    tfm_type_name((tfm_type)in->type), tfm_type_name((tfm_type)alpha->type),
                    tfm_type_name((tfm_type)out->type));
  }
  TfmPreluData *d;
  TFM_TRY(tfm_alloc_persistent(ctx, sizeof(*d), (void **)&d));
  TFM_TRY(tfm_bcast_prepare(ctx, "PRELU", in, alpha, out, &d->bc));
  if (in->type == TFM_INT8) {
    if (out->scale <= 0.0f) return tfm_fail(ctx, TFM_BAD_MODEL, "PRELU: output needs a positive scale");
    tfm_quantize_multiplier((double)in->scale / (double)out->scale, &d->mult1, &d->shift1);
    const float real2 = in->scale * alpha->scale / out->scale; /* float math, as TFLite */
    tfm_quantize_multiplier((double)real2, &d->mult2, &d->shift2);
    d->in_offset = -in->zero_point;
    d->alpha_offset = -alpha->zero_point;
    d->out_offset = out->zero_point;
  }
  node->data = d;
  return TFM_OK;
}

/* Quantized PRELU of one input value x with its alpha a. */
static inline int8_t prelu_q(const TfmPreluData *d, int32_t x, int32_t a) {
  const int32_t v = d->in_offset + x;
  int32_t r;
  if (v >= 0) {
    r = tfm_multiply_by_quantized_multiplier(v, d->mult1, d->shift1);
  } else {
    r = tfm_multiply_by_quantized_multiplier(v * (d->alpha_offset + a), d->mult2, d->shift2);
  }
  return (int8_t)tfm_clamp_i32(tfm_add_wrap_i32(r, d->out_offset), -128, 127);
}

tfm_status tfm_prelu_eval_reference(tfm_context *ctx, tfm_node *node) {
  const TfmPreluData *d = (const TfmPreluData *)node->data;
  const tfm_tensor *in = tfm_input(ctx, node, 0);
  const tfm_tensor *alpha = tfm_input(ctx, node, 1);
  tfm_tensor *out = tfm_output(ctx, node, 0);
  tfm_bcast_it it;
  tfm_bcast_begin(&it);
  if (in->type == TFM_FLOAT32) {
    TFM_BCAST_LOOP(float, &d->bc, it, in, alpha, out, y[i] = x1 >= 0.0f ? x1 : x1 * x2);
  } else {
    TFM_BCAST_LOOP(int8_t, &d->bc, it, in, alpha, out, y[i] = prelu_q(d, x1, x2));
  }
  return TFM_OK;
}
