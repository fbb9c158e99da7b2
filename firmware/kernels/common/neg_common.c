/* NEG: float32, int8, int16, int32, int64: y = -x on raw values (TFLite's
 * Negate ignores quantization); the most negative integer wraps to itself. */
#include "common/neg.h"

#include "common/activation_common.h"
#include "internal/quant.h"
#include "tfm/kernels.h"

tfm_status tfm_neg_prepare(tfm_context *ctx, tfm_node *node) {
  static const int kTypes[] = {TFM_FLOAT32, TFM_INT8, TFM_INT16, TFM_INT32, TFM_INT64, -1};
  const tfm_tensor *in, *out;
  return tfm_unary_prepare(ctx, node, "NEG", kTypes, true, 0, &in, &out);
}

tfm_status tfm_neg_eval_reference(tfm_context *ctx, tfm_node *node) {
  const tfm_tensor *in = tfm_input(ctx, node, 0);
  tfm_tensor *out = tfm_output(ctx, node, 0);
  const int32_t n = tfm_tensor_elements(in);
  switch (in->type) {
    case TFM_FLOAT32: TFM_UNARY_LOOP(float, in, out, n, y[i] = -x); break;
    case TFM_INT8: TFM_UNARY_LOOP(int8_t, in, out, n, y[i] = (int8_t)(uint8_t)(-(int32_t)x)); break;
    case TFM_INT16: TFM_UNARY_LOOP(int16_t, in, out, n, y[i] = (int16_t)(uint16_t)(-(int32_t)x)); break;
    case TFM_INT32: TFM_UNARY_LOOP(int32_t, in, out, n, y[i] = tfm_wrap_i32(0u - (uint32_t)x)); break;
    case TFM_INT64: TFM_UNARY_LOOP(int64_t, in, out, n, y[i] = tfm_wrap_i64(0u - (uint64_t)x)); break;
    default:
      return tfm_fail(ctx, TFM_UNSUPPORTED, "type %s not supported", tfm_type_name((tfm_type)in->type));
  }
  return TFM_OK;
}
