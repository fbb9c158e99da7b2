/* CAST shared pieces: prepare and the reference eval (see
 * common/cast.h). */
#include "common/cast.h"

#include "common/activation_common.h"

static bool is_castable(int t) {
  return t == TFM_FLOAT32 || t == TFM_INT8 || t == TFM_UINT8 || t == TFM_INT16 ||
         t == TFM_UINT16 || t == TFM_INT32 || t == TFM_UINT32 || t == TFM_INT64 || t == TFM_BOOL;
}

tfm_status tfm_cast_prepare(tfm_context *ctx, tfm_node *node) {
  static const int kTypes[] = {TFM_FLOAT32, TFM_INT8,  TFM_UINT8, TFM_INT16, TFM_UINT16,
                               TFM_INT32,   TFM_UINT32, TFM_INT64, TFM_BOOL,  -1};
  const tfm_tensor *in, *out;
  TFM_TRY(tfm_unary_prepare(ctx, node, "CAST", kTypes, false, 0, &in, &out));
  if (!is_castable(out->type)) {
    return tfm_fail(ctx, TFM_UNSUPPORTED, "CAST: %s to %s not supported",
                    tfm_type_name((tfm_type)in->type), tfm_type_name((tfm_type)out->type));
  }
  return TFM_OK;
}

/* Element i as an integer (floats truncated) and, for floats, as a float. */
static int64_t load_int(const void *p, tfm_type t, int32_t i, float *f, bool *is_float) {
  *is_float = false;
  switch (t) {
    case TFM_FLOAT32: {
      *f = ((const float *)p)[i];
      *is_float = true;
      /* Truncate toward zero; saturate outside int64 (undefined in C++). */
      if (*f >= 9.2233715e18f) return INT64_MAX;
      if (*f <= -9.2233715e18f) return INT64_MIN;
      return (*f != *f) ? 0 : (int64_t)*f;
    }
    case TFM_INT8: return ((const int8_t *)p)[i];
    case TFM_UINT8: return ((const uint8_t *)p)[i];
    case TFM_INT16: return ((const int16_t *)p)[i];
    case TFM_UINT16: return ((const uint16_t *)p)[i];
    case TFM_INT32: return ((const int32_t *)p)[i];
    case TFM_UINT32: return ((const uint32_t *)p)[i];
    case TFM_INT64: return ((const int64_t *)p)[i];
    default: return ((const uint8_t *)p)[i] != 0;
  }
}

tfm_status tfm_cast_eval_reference(tfm_context *ctx, tfm_node *node) {
  const tfm_tensor *in = tfm_input(ctx, node, 0);
  tfm_tensor *out = tfm_output(ctx, node, 0);
  const int32_t n = tfm_tensor_elements(in);
  const tfm_type it = (tfm_type)in->type, ot = (tfm_type)out->type;
  for (int32_t i = 0; i < n; ++i) {
    float f = 0.0f;
    bool is_float;
    const int64_t v = load_int(in->data, it, i, &f, &is_float);
    const uint64_t u = (uint64_t)v; /* narrowing wraps modulo 2^N */
    switch (ot) {
      case TFM_FLOAT32: ((float *)out->data)[i] = is_float ? f : (float)v; break;
      case TFM_INT8: ((int8_t *)out->data)[i] = (int8_t)(uint8_t)u; break;
      case TFM_UINT8: ((uint8_t *)out->data)[i] = (uint8_t)u; break;
      case TFM_INT16: ((int16_t *)out->data)[i] = (int16_t)(uint16_t)u; break;
      case TFM_UINT16: ((uint16_t *)out->data)[i] = (uint16_t)u; break;
      case TFM_INT32: ((int32_t *)out->data)[i] = (int32_t)(uint32_t)u; break;
      case TFM_UINT32: ((uint32_t *)out->data)[i] = (uint32_t)u; break;
      case TFM_INT64: ((int64_t *)out->data)[i] = v; break;
      default: ((uint8_t *)out->data)[i] = is_float ? (f != 0.0f) : (v != 0); break;
    }
  }
  (void)ctx;
  return TFM_OK;
}
