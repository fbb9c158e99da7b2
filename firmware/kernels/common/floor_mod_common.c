/* FLOOR_MOD: float32, int8, int16, int32, int64 (raw values), broadcasting:
 * the remainder of the truncating division, moved by y when its sign
 * differs from y's (TFLite's FloorMod; float adds y in float). An integer
 * divisor of 0 fails the op. */
#include "common/floor_mod.h"

#include "common/binary_common.h"
#include "internal/fmath.h"
#include "tfm/kernels.h"

tfm_status tfm_floor_mod_prepare(tfm_context *ctx, tfm_node *node) {
  static const int kTypes[] = {TFM_FLOAT32, TFM_INT8, TFM_INT16, TFM_INT32, TFM_INT64, -1};
  tfm_binary_data *d;
  return tfm_binary_prepare(ctx, node, "FLOOR_MOD", kTypes, false, &d);
}

/* b != 0; b == -1 gives 0 (also for the most negative a, where C's % is undefined). */
static inline int64_t floor_mod_i64(int64_t a, int64_t b) {
  if (b == -1) return 0;
  const int64_t r = a % b;
  return (r != 0 && ((b < 0) != (r < 0))) ? r + b : r;
}

static inline float floor_mod_f32(float a, float b) {
  const float r = tfm_fmodf(a, b);
  return (r != 0.0f && ((b < 0.0f) != (r < 0.0f))) ? r + b : r;
}

static bool has_zero(const tfm_tensor *t) {
  const int32_t n = tfm_tensor_elements(t);
  for (int32_t i = 0; i < n; ++i) {
    int64_t v;
    switch (t->type) {
      case TFM_INT8: v = ((const int8_t *)t->data)[i]; break;
      case TFM_INT16: v = ((const int16_t *)t->data)[i]; break;
      case TFM_INT32: v = ((const int32_t *)t->data)[i]; break;
      default: v = ((const int64_t *)t->data)[i]; break;
    }
    if (v == 0) return true;
  }
  return false;
}

tfm_status tfm_floor_mod_eval_reference(tfm_context *ctx, tfm_node *node) {
  const tfm_binary_data *d = (const tfm_binary_data *)node->data;
  const tfm_tensor *in1 = tfm_input(ctx, node, 0);
  const tfm_tensor *in2 = tfm_input(ctx, node, 1);
  tfm_tensor *o = tfm_output(ctx, node, 0);
  if (o->type != TFM_FLOAT32 && has_zero(in2)) {
    return tfm_fail(ctx, TFM_ERROR, "division by zero");
  }
  tfm_bcast_it it;
  tfm_bcast_begin(&it);
  switch (o->type) {
    case TFM_FLOAT32: TFM_BCAST_LOOP(float, &d->bc, it, in1, in2, o, y[i] = floor_mod_f32(x1, x2)); break;
    case TFM_INT8: TFM_BCAST_LOOP(int8_t, &d->bc, it, in1, in2, o, y[i] = (int8_t)floor_mod_i64(x1, x2)); break;
    case TFM_INT16:
      TFM_BCAST_LOOP(int16_t, &d->bc, it, in1, in2, o, y[i] = (int16_t)floor_mod_i64(x1, x2));
      break;
    case TFM_INT32:
      TFM_BCAST_LOOP(int32_t, &d->bc, it, in1, in2, o, y[i] = (int32_t)floor_mod_i64(x1, x2));
      break;
    case TFM_INT64: TFM_BCAST_LOOP(int64_t, &d->bc, it, in1, in2, o, y[i] = floor_mod_i64(x1, x2)); break;
    default:
      return tfm_fail(ctx, TFM_UNSUPPORTED, "type %s not supported", tfm_type_name((tfm_type)o->type));
  }
  return TFM_OK;
}
