/* SQRT: float32 (correctly rounded) and int8/int16 as TFLite's
 * SqrtEvalQuantized: sqrt(input_scale * (x - zero_point)) in float, divided
 * by the output scale and truncated (not rounded), plus the output zero
 * point, clamped. A negative real input fails the op, as in TFLite. */
#include "common/sqrt.h"

#include "common/activation_common.h"
#include "common/unary_common.h"
#include "internal/fmath.h"
#include "internal/quant.h"
#include "tfm/kernels.h"

tfm_status tfm_sqrt_prepare(tfm_context *ctx, tfm_node *node) {
  static const int kTypes[] = {TFM_FLOAT32, TFM_INT8, TFM_INT16, -1};
  const tfm_tensor *in, *out;
  TFM_TRY(tfm_unary_prepare(ctx, node, "SQRT", kTypes, true, 0, &in, &out));
  if (in->type == TFM_FLOAT32) return TFM_OK;
  if (!(in->scale > 0.0f) || !(out->scale > 0.0f)) {
    return tfm_fail(ctx, TFM_BAD_MODEL, "quantized input and output need positive scales");
  }
  if (in->type == TFM_INT16) {
    TFM_TRY(tfm_expect_zero_point(ctx, "SQRT", "INT16 input", in, 0));
    TFM_TRY(tfm_expect_zero_point(ctx, "SQRT", "INT16 output", out, 0));
  }
  return TFM_OK;
}

tfm_status tfm_sqrt_eval_reference(tfm_context *ctx, tfm_node *node) {
  const tfm_tensor *in = tfm_input(ctx, node, 0);
  tfm_tensor *out = tfm_output(ctx, node, 0);
  if (in->type == TFM_FLOAT32) return tfm_float_unary_eval(ctx, node, tfm_sqrtf);
  const int32_t n = tfm_tensor_elements(in);
  const int32_t lo = tfm_type_min((tfm_type)in->type), hi = tfm_type_max((tfm_type)in->type);
  for (int32_t i = 0; i < n; ++i) {
    const int32_t x = tfm_load_quantized(in->data, (tfm_type)in->type, i);
    const float real = in->scale * (float)(x - in->zero_point);
    if (real < 0.0f) return tfm_fail(ctx, TFM_BAD_ARGUMENT, "input %d is negative", i);
    const int32_t q = tfm_saturate_f32_i32(tfm_sqrtf(real) / out->scale) + out->zero_point;
    const int32_t v = tfm_clamp_i32(q, lo, hi);
    if (in->type == TFM_INT8) ((int8_t *)out->data)[i] = (int8_t)v;
    else ((int16_t *)out->data)[i] = (int16_t)v;
  }
  return TFM_OK;
}
