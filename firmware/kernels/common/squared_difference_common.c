/* SQUARED_DIFFERENCE with broadcasting: float32 and int32 (wrapping)
 * (x1 - x2)^2; int8 as TFLite's quantized kernel: both inputs shifted left 7
 * and rescaled to twice the larger input scale, the difference squared in
 * int32, then rescaled by (2 max scale)^2 / (2^14 out_scale) to the output. */
#include "common/squared_difference.h"

#include "common/binary_common.h"
#include "internal/quant.h"
#include "tfm/kernels.h"

#define LEFT_SHIFT 7

/* A Q31 multiplier for a real multiplier in (0, 1) (QuantizeMultiplierSmallerThanOneExp). */
static tfm_status below_one(tfm_context *ctx, double real, const char *what, int32_t *m, int *shift) {
  if (!(real > 0.0 && real < 1.0)) {
    return tfm_fail(ctx, TFM_UNSUPPORTED, "SQUARED_DIFFERENCE: %s multiplier %f not below 1",
                    what, real);
  }
  tfm_quantize_multiplier(real, m, shift);
  return TFM_OK;
}

tfm_status tfm_squared_difference_prepare(tfm_context *ctx, tfm_node *node) {
  static const int kTypes[] = {TFM_FLOAT32, TFM_INT32, TFM_INT8, -1};
  tfm_binary_data *d;
  TFM_TRY(tfm_binary_prepare(ctx, node, "SQUARED_DIFFERENCE", kTypes, false, &d));
  const tfm_tensor *in1 = tfm_input(ctx, node, 0), *in2 = tfm_input(ctx, node, 1);
  const tfm_tensor *out = tfm_output(ctx, node, 0);
  if (out->type != TFM_INT8) return TFM_OK;
  if (!(in1->scale > 0.0f && in2->scale > 0.0f && out->scale > 0.0f)) {
    return tfm_fail(ctx, TFM_BAD_MODEL, "SQUARED_DIFFERENCE: INT8 tensors need positive scales");
  }
  /* double and float steps as TFLite's prepare */
  const double twice_max = 2.0 * (double)(in1->scale > in2->scale ? in1->scale : in2->scale);
  TFM_TRY(below_one(ctx, (double)in1->scale / twice_max, "input 1", &d->in1_multiplier, &d->in1_shift));
  TFM_TRY(below_one(ctx, (double)in2->scale / twice_max, "input 2", &d->in2_multiplier, &d->in2_shift));
  const double out_real = twice_max * twice_max / (double)((float)(1 << (2 * LEFT_SHIFT)) * out->scale);
  TFM_TRY(below_one(ctx, out_real, "output", &d->out_multiplier, &d->out_shift));
  return TFM_OK;
}

static inline int8_t sq_diff_q(const tfm_binary_data *d, int32_t a, int32_t b) {
  const int32_t x = tfm_multiply_by_quantized_multiplier((d->in1_offset + a) * (1 << LEFT_SHIFT),
                                                         d->in1_multiplier, d->in1_shift);
  const int32_t y = tfm_multiply_by_quantized_multiplier((d->in2_offset + b) * (1 << LEFT_SHIFT),
                                                         d->in2_multiplier, d->in2_shift);
  const int32_t diff = x - y; /* |diff| < 2^15: the square fits int32 */
  const int32_t r = tfm_multiply_by_quantized_multiplier(diff * diff, d->out_multiplier,
                                                         d->out_shift) + d->out_offset;
  return (int8_t)tfm_clamp_i32(r, -128, 127);
}

tfm_status tfm_squared_difference_eval_reference(tfm_context *ctx, tfm_node *node) {
  const tfm_binary_data *d = (const tfm_binary_data *)node->data;
  const tfm_tensor *in1 = tfm_input(ctx, node, 0);
  const tfm_tensor *in2 = tfm_input(ctx, node, 1);
  tfm_tensor *o = tfm_output(ctx, node, 0);
  tfm_bcast_it it;
  tfm_bcast_begin(&it);
  switch (o->type) {
    case TFM_FLOAT32:
      TFM_BCAST_LOOP(float, &d->bc, it, in1, in2, o, const float t = x1 - x2; y[i] = t * t);
      break;
    case TFM_INT32:
      TFM_BCAST_LOOP(int32_t, &d->bc, it, in1, in2, o,
                     const uint32_t t = (uint32_t)x1 - (uint32_t)x2; y[i] = tfm_wrap_i32(t * t));
      break;
    default: TFM_BCAST_LOOP(int8_t, &d->bc, it, in1, in2, o, y[i] = sq_diff_q(d, x1, x2)); break;
  }
  return TFM_OK;
}
