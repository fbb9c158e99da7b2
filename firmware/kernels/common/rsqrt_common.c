/* RSQRT: float32 (1 / sqrt(x), one rounded sqrt and one rounded division, as
 * TFLite) and int8 as TFLite's RsqrtEvalQuantizedInt8: 1/sqrt of x - zero
 * point by GetInvSqrtQuantizedMultiplierExp, rescaled by
 * 1 / (sqrt(input_scale) * output_scale); x == zero point gives 127 and a
 * value below the zero point fails the op. int16 (zero points 0): TFLite's
 * interpolated table of 1/sqrt(x), x <= 0 mapped to the largest output. */
#include "common/rsqrt.h"

#include "common/activation_common.h"
#include "common/unary_common.h"
#include "internal/fmath.h"
#include "common/softmax_common.h"
#include "internal/inv_sqrt.h"
#include "internal/lut16.h"
#include "internal/quant.h"
#include "tfm/kernels.h"

typedef struct rsqrt_data {
  int32_t multiplier;
  int shift;
} rsqrt_data;

static float rsqrt_f32(float x) { return 1.0f / tfm_sqrtf(x); }

/* The int16 table's value at x <= 0: 32767 * output_scale, as TFLite. Set by
 * prepare just before it builds the table (nodes are prepared one at a time). */
static float g_at_zero;
static float rsqrt_lut(float x) { return x <= 0.0f ? g_at_zero : 1.0f / tfm_sqrtf(x); }

tfm_status tfm_rsqrt_prepare(tfm_context *ctx, tfm_node *node) {
  static const int kTypes[] = {TFM_FLOAT32, TFM_INT8, TFM_INT16, -1};
  const tfm_tensor *in, *out;
  TFM_TRY(tfm_unary_prepare(ctx, node, "RSQRT", kTypes, true, sizeof(rsqrt_data), &in, &out));
  if (in->type == TFM_FLOAT32) return TFM_OK;
  if (!(in->scale > 0.0f) || !(out->scale > 0.0f)) {
    return tfm_fail(ctx, TFM_BAD_MODEL, "quantized input and output need positive scales");
  }
  if (in->type == TFM_INT16) {
    TFM_TRY(tfm_expect_zero_point(ctx, "RSQRT", "INT16 input", in, 0));
    TFM_TRY(tfm_expect_zero_point(ctx, "RSQRT", "INT16 output", out, 0));
    int16_t *table;
    TFM_TRY(tfm_alloc_persistent(ctx, TFM_LUT16_SIZE * sizeof(int16_t), (void **)&table));
    g_at_zero = 32767.0f * out->scale;
    tfm_lut_populate_i16(in->scale, 0, out->scale, 0, rsqrt_lut, table);
    node->data = table;
    return TFM_OK;
  }
  rsqrt_data *d = (rsqrt_data *)node->data;
  /* float sqrt and product, double reciprocal: as TFLite's SetRsqrtOutputMultiplier */
  tfm_quantize_multiplier(1.0 / (double)(tfm_sqrtf(in->scale) * out->scale), &d->multiplier,
                          &d->shift);
  return TFM_OK;
}

tfm_status tfm_rsqrt_eval_reference(tfm_context *ctx, tfm_node *node) {
  const tfm_tensor *in = tfm_input(ctx, node, 0);
  tfm_tensor *out = tfm_output(ctx, node, 0);
  if (in->type == TFM_FLOAT32) return tfm_float_unary_eval(ctx, node, rsqrt_f32);
  if (in->type == TFM_INT16) {
    const int16_t *x16 = (const int16_t *)in->data, *table = (const int16_t *)node->data;
    int16_t *y16 = (int16_t *)out->data;
    const int32_t n16 = tfm_tensor_elements(in);
    for (int32_t i = 0; i < n16; ++i) {
      if (x16[i] < 0) return tfm_fail(ctx, TFM_BAD_ARGUMENT, "input %d is negative", i);
    }
    for (int32_t i = 0; i < n16; ++i) y16[i] = tfm_lut_lookup_i16(x16[i], table);
    return TFM_OK;
  }
  const rsqrt_data *d = (const rsqrt_data *)node->data;
  const int8_t *x = (const int8_t *)in->data;
  int8_t *y = (int8_t *)out->data;
  const int32_t n = tfm_tensor_elements(in);
  for (int32_t i = 0; i < n; ++i) {
    if (x[i] < in->zero_point) return tfm_fail(ctx, TFM_BAD_ARGUMENT, "input %d is negative", i);
  }
  enum { kShift = 20 }; /* keeps the intermediate an integer, as TFLite */
  for (int32_t i = 0; i < n; ++i) {
    const int32_t value = x[i] - in->zero_point;
    if (value == 0) {
      y[i] = 127;
      continue;
    }
    int32_t m;
    int s;
    tfm_inv_sqrt_quantized_multiplier_exp(value, -1, &m, &s);
    const int32_t data = tfm_multiply_by_quantized_multiplier(1, m, s + kShift);
    const int32_t v = tfm_multiply_by_quantized_multiplier(data, d->multiplier, d->shift - kShift);
    y[i] = (int8_t)tfm_clamp_i32(tfm_add_wrap_i32(v, out->zero_point), -128, 127);
  }
  return TFM_OK;
}
