#include "common/unary_common.h"

#include "common/activation_common.h"
#include "common/softmax_common.h"
#include "internal/fixedpoint.h"
#include "internal/lut16.h"

tfm_status tfm_float_unary_prepare(tfm_context *ctx, tfm_node *node, const char *op) {
  static const int kTypes[] = {TFM_FLOAT32, -1};
  const tfm_tensor *in, *out;
  return tfm_unary_prepare(ctx, node, op, kTypes, true, 0, &in, &out);
}

tfm_status tfm_float_unary_eval(tfm_context *ctx, tfm_node *node, float (*fn)(float)) {
  const tfm_tensor *in = tfm_input(ctx, node, 0);
  tfm_tensor *out = tfm_output(ctx, node, 0);
  TFM_UNARY_LOOP(float, in, out, tfm_tensor_elements(in), y[i] = fn(x));
  return TFM_OK;
}

tfm_status tfm_lut_unary_prepare(tfm_context *ctx, tfm_node *node, const char *op,
                                 float (*fn)(float), bool int16) {
  static const int kTypes[] = {TFM_FLOAT32, TFM_INT8, -1};
  static const int kTypes16[] = {TFM_FLOAT32, TFM_INT8, TFM_INT16, -1};
  const tfm_tensor *in, *out;
  TFM_TRY(tfm_unary_prepare(ctx, node, op, int16 ? kTypes16 : kTypes, true, 0, &in, &out));
  if (in->type == TFM_FLOAT32) return TFM_OK;
  if (!(in->scale > 0.0f) || !(out->scale > 0.0f)) {
    return tfm_fail(ctx, TFM_BAD_MODEL, "%s: quantized input and output need positive scales", op);
  }
  if (in->type == TFM_INT16) {
    TFM_TRY(tfm_expect_zero_point(ctx, op, "INT16 input", in, 0));
    TFM_TRY(tfm_expect_zero_point(ctx, op, "INT16 output", out, 0));
    int16_t *table16;
    TFM_TRY(tfm_alloc_persistent(ctx, TFM_LUT16_SIZE * sizeof(int16_t), (void **)&table16));
    tfm_lut_populate_i16(in->scale, in->zero_point, out->scale, out->zero_point, fn, table16);
    node->data = table16;
    return TFM_OK;
  }
  int8_t *table;
  TFM_TRY(tfm_alloc_persistent(ctx, 256, (void **)&table));
  tfm_lut_populate_i8(in->scale, in->zero_point, out->scale, out->zero_point, fn, table);
  node->data = table;
  return TFM_OK;
}

tfm_status tfm_lut_unary_eval(tfm_context *ctx, tfm_node *node, float (*fn)(float)) {
  const tfm_tensor *in = tfm_input(ctx, node, 0);
  if (in->type == TFM_FLOAT32) return tfm_float_unary_eval(ctx, node, fn);
  tfm_tensor *out = tfm_output(ctx, node, 0);
  if (in->type == TFM_INT16) {
    const int16_t *table16 = (const int16_t *)node->data;
    TFM_UNARY_LOOP(int16_t, in, out, tfm_tensor_elements(in), y[i] = tfm_lut_lookup_i16(x, table16));
    return TFM_OK;
  }
  const int8_t *table = (const int8_t *)node->data;
  TFM_UNARY_LOOP(int8_t, in, out, tfm_tensor_elements(in), y[i] = table[(uint8_t)x]);
  return TFM_OK;
}
