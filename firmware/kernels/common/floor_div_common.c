/* FLOOR_DIV: float32 (floor of the quotient in double, as TFLite), int8, int16, int32 (exact floor of the
 * quotient; raw values, quantization ignored as in TFLite), broadcasting.
 * A divisor of 0 (also 0.0f for float32) fails the op, as TFLite's "Division by 0". */
#include "common/floor_div.h"

#include "common/binary_common.h"
#include "internal/fmath.h"
#include "internal/quant.h"
#include "tfm/kernels.h"

tfm_status tfm_floor_div_prepare(tfm_context *ctx, tfm_node *node) {
  static const int kTypes[] = {TFM_FLOAT32, TFM_INT8, TFM_INT16, TFM_INT32, -1};
  tfm_binary_data *d;
  return tfm_binary_prepare(ctx, node, "FLOOR_DIV", kTypes, false, &d);
}

/* floor(a / b) for b != 0; INT32_MIN / -1 wraps to INT32_MIN. */
static inline int32_t floor_div_i32(int32_t a, int32_t b) {
  if (b == -1) return tfm_wrap_i32(0u - (uint32_t)a);
  const int32_t q = a / b;
  return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

static bool has_zero(const tfm_tensor *t) {
  const int32_t n = tfm_tensor_elements(t);
  for (int32_t i = 0; i < n; ++i) {
    int32_t v;
    switch (t->type) {
      case TFM_INT8: v = ((const int8_t *)t->data)[i]; break;
      case TFM_INT16: v = ((const int16_t *)t->data)[i]; break;
      case TFM_FLOAT32: v = ((const float *)t->data)[i] != 0.0f; break;
      default: v = ((const int32_t *)t->data)[i]; break;
    }
    if (v == 0) return true;
  }
  return false;
}

tfm_status tfm_floor_div_eval_reference(tfm_context *ctx, tfm_node *node) {
  const tfm_binary_data *d = (const tfm_binary_data *)node->data;
  const tfm_tensor *in1 = tfm_input(ctx, node, 0);
  const tfm_tensor *in2 = tfm_input(ctx, node, 1);
  tfm_tensor *o = tfm_output(ctx, node, 0);
  if (has_zero(in2)) {
    return tfm_fail(ctx, TFM_ERROR, "division by zero");
  }
  tfm_bcast_it it;
  tfm_bcast_begin(&it);
  switch (o->type) {
    case TFM_FLOAT32: TFM_BCAST_LOOP(float, &d->bc, it, in1, in2, o, y[i] = (float)tfm_floor((double)x1 / (double)x2)); break;
    case TFM_INT8:
      TFM_BCAST_LOOP(int8_t, &d->bc, it, in1, in2, o, y[i] = (int8_t)(uint8_t)floor_div_i32(x1, x2));
      break;
    case TFM_INT16:
      TFM_BCAST_LOOP(int16_t, &d->bc, it, in1, in2, o,
                     y[i] = (int16_t)(uint16_t)floor_div_i32(x1, x2));
      break;
    case TFM_INT32: TFM_BCAST_LOOP(int32_t, &d->bc, it, in1, in2, o, y[i] = floor_div_i32(x1, x2)); break;
    default:
      return tfm_fail(ctx, TFM_UNSUPPORTED, "type %s not supported", tfm_type_name((tfm_type)o->type));
  }
  return TFM_OK;
}
