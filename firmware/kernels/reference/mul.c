/* MUL: int8, int16, int32, float32 with broadcasting and fused activation.
 * Quantized: out = zp_out + (a - zp_a) * (b - zp_b) * (s_a * s_b / s_out). */
#include "common/binary_common.h"
#include "internal/quant.h"
#include "tfm/kernels.h"

static tfm_status prepare(tfm_context *ctx, tfm_node *node) {
  static const int kTypes[] = {TFM_INT8, TFM_INT16, TFM_INT32, TFM_FLOAT32, -1};
  tfm_binary_data *d;
  TFM_TRY(tfm_binary_prepare(ctx, node, "MUL", kTypes, true, &d));
  const tfm_tensor *a = tfm_input(ctx, node, 0);
  const tfm_tensor *b = tfm_input(ctx, node, 1);
  const tfm_tensor *o = tfm_output(ctx, node, 0);
  if (o->type == TFM_INT16 && (a->zero_point != 0 || b->zero_point != 0 || o->zero_point != 0)) {
    return tfm_fail(ctx, TFM_UNSUPPORTED, "MUL: INT16 needs zero points of 0 (got %d, %d, %d)",
                    a->zero_point, b->zero_point, o->zero_point);
  }
  if (o->type == TFM_INT8 || o->type == TFM_INT16) {
    if (o->scale <= 0.0f) return tfm_fail(ctx, TFM_BAD_MODEL, "MUL: output needs a positive scale");
    /* float arithmetic, then widened: as TFLite. */
    const float real = a->scale * b->scale / o->scale;
    tfm_quantize_multiplier((double)real, &d->out_multiplier, &d->out_shift);
  }
  return TFM_OK;
}

#define MUL_Q_LOOP(T)                                                              \
  do {                                                                             \
    const T *a = (const T *)in1->data, *b = (const T *)in2->data;                  \
    T *y = (T *)o->data;                                                           \
    for (int32_t i = 0; i < n; ++i, tfm_bcast_next(&d->bc, &it)) {                 \
      const int32_t p = (d->in1_offset + a[it.off1]) * (d->in2_offset + b[it.off2]); \
      const int32_t r = tfm_add_wrap_i32(                                          \
          d->out_offset, tfm_multiply_by_quantized_multiplier(p, d->out_multiplier, d->out_shift)); \
      y[i] = (T)tfm_clamp_i32(r, d->act_min, d->act_max);                          \
    }                                                                              \
  } while (0)

static tfm_status eval(tfm_context *ctx, tfm_node *node) {
  const tfm_binary_data *d = (const tfm_binary_data *)node->data;
  const tfm_tensor *in1 = tfm_input(ctx, node, 0);
  const tfm_tensor *in2 = tfm_input(ctx, node, 1);
  tfm_tensor *o = tfm_output(ctx, node, 0);
  const int32_t n = d->bc.count;
  tfm_bcast_it it;
  tfm_bcast_begin(&it);
  switch (o->type) {
    case TFM_FLOAT32: {
      const float *a = (const float *)in1->data, *b = (const float *)in2->data;
      float *y = (float *)o->data;
      for (int32_t i = 0; i < n; ++i, tfm_bcast_next(&d->bc, &it)) {
        y[i] = tfm_clamp_f32(a[it.off1] * b[it.off2], d->f_act_min, d->f_act_max);
      }
      break;
    }
    case TFM_INT32: {
      const int32_t *a = (const int32_t *)in1->data, *b = (const int32_t *)in2->data;
      int32_t *y = (int32_t *)o->data;
      for (int32_t i = 0; i < n; ++i, tfm_bcast_next(&d->bc, &it)) {
        const int32_t p = (int32_t)((uint32_t)a[it.off1] * (uint32_t)b[it.off2]); /* wraps */
        y[i] = tfm_clamp_i32(p, d->act_min, d->act_max);
      }
      break;
    }
    case TFM_INT8: MUL_Q_LOOP(int8_t); break;
    case TFM_INT16: MUL_Q_LOOP(int16_t); break;
    default:
      return tfm_fail(ctx, TFM_UNSUPPORTED, "MUL: type %s not supported",
                      tfm_type_name((tfm_type)o->type));
  }
  return TFM_OK;
}

const tfm_kernel *tfm_register_mul(void) {
  static const tfm_kernel kernel = {"MUL", 7, prepare, eval};
  return &kernel;
}
