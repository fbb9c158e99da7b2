/* SOFTMAX over the last dimension: float32, int8 -> int8/int16,
 * int16 -> int16 (see common/softmax_common.h). */
#include "common/ops.h"
#include "common/softmax_common.h"
#include "internal/fixedpoint.h"
#include "internal/quant.h"
#include "tfm/kernels.h"

static void softmax_f32(const tfm_softmax_data *d, int32_t outer, int32_t depth, const float *x,
                        float *y) {
  for (int32_t i = 0; i < outer; ++i, x += depth, y += depth) {
    float max = x[0];
    for (int32_t c = 1; c < depth; ++c) max = x[c] > max ? x[c] : max;
    float sum = 0.0f;
    for (int32_t c = 0; c < depth; ++c) {
      y[c] = tfm_expf((x[c] - max) * d->beta);
      sum += y[c];
    }
    for (int32_t c = 0; c < depth; ++c) y[c] = y[c] / sum;
  }
}

/* int8 input, int8 (out_bits 8) or int16 (16) output. */
static void softmax_q8(const tfm_softmax_data *d, int32_t outer, int32_t depth, const int8_t *x,
                       void *out, int out_bits) {
  const int32_t out_min = out_bits == 8 ? -128 : -32768;
  const int32_t out_max = out_bits == 8 ? 127 : 32767;
  for (int32_t i = 0; i < outer; ++i, x += depth) {
    int32_t max = -128;
    for (int32_t c = 0; c < depth; ++c) max = x[c] > max ? x[c] : max;
    int32_t sum = 0; /* Q12.19 */
    for (int32_t c = 0; c < depth; ++c) {
      const int32_t diff = x[c] - max;
      if (diff >= d->diff_min) {
        const int32_t scaled = tfm_saturating_rounding_doubling_high_mul(
            (int32_t)((uint32_t)diff << d->input_left_shift), d->input_multiplier);
        sum += tfm_rounding_divide_by_pot(tfm_fp_exp_on_negative_values(scaled, 5), 12);
      }
    }
    int bits_over_unit;
    const int32_t scale = tfm_fp_reciprocal(sum, 12, &bits_over_unit);
    for (int32_t c = 0; c < depth; ++c) {
      const int32_t diff = x[c] - max;
      int32_t v = out_min;
      if (diff >= d->diff_min) {
        const int32_t scaled = tfm_saturating_rounding_doubling_high_mul(
            (int32_t)((uint32_t)diff << d->input_left_shift), d->input_multiplier);
        const int32_t e = tfm_fp_exp_on_negative_values(scaled, 5);
        const int32_t unsat = tfm_rounding_divide_by_pot(
            tfm_saturating_rounding_doubling_high_mul(scale, e), bits_over_unit + 31 - out_bits);
        v = tfm_clamp_i32(unsat + out_min, out_min, out_max);
      }
      if (out_bits == 8) ((int8_t *)out)[i * depth + c] = (int8_t)v;
      else ((int16_t *)out)[i * depth + c] = (int16_t)v;
    }
  }
}

static void softmax_i16(const tfm_softmax_data *d, int32_t outer, int32_t depth, const int16_t *x,
                        int16_t *y) {
  for (int32_t i = 0; i < outer; ++i, x += depth, y += depth) {
    int32_t max = -32768;
    for (int32_t c = 0; c < depth; ++c) max = x[c] > max ? x[c] : max;
    int32_t sum = 0; /* Q16.15 */
    /* The exp results go to the output first, then are rescaled in place. */
    for (int32_t c = 0; c < depth; ++c) {
      const int32_t scaled = tfm_multiply_by_quantized_multiplier(x[c] - max, d->input_multiplier,
                                                                  d->input_left_shift);
      const int16_t sym = (int16_t)tfm_clamp_i32(scaled + 32767, -32768, 32767);
      y[c] = tfm_lut_lookup_i16(sym, d->exp_lut);
      sum += y[c];
    }
    const int headroom_plus_one = tfm_clz32((uint32_t)sum);
    const int32_t shifted_sum =
        (int32_t)((((int64_t)sum << (headroom_plus_one - 1)) + (1 << 13)) >> 14);
    const int16_t sym_sum =
        (int16_t)tfm_clamp_i32(shifted_sum - ((1 << 15) + (1 << 16)), -32768, 32767);
    const int16_t reciprocal = tfm_lut_lookup_i16(sym_sum, d->one_over_one_plus_x_lut);
    const int right_shift = 31 - headroom_plus_one;
    const int64_t round = (int64_t)1 << (right_shift - 1);
    for (int32_t c = 0; c < depth; ++c) {
      const int32_t r = (int32_t)(((int64_t)y[c] * reciprocal + round) >> right_shift);
      y[c] = (int16_t)tfm_clamp_i32(r, 0, 32767);
    }
  }
}

static tfm_status eval(tfm_context *ctx, tfm_node *node) {
  const tfm_softmax_data *d = (const tfm_softmax_data *)node->data;
  const tfm_tensor *in = tfm_input(ctx, node, 0);
  tfm_tensor *out = tfm_output(ctx, node, 0);
  const int32_t depth = tfm_tensor_dim(in, -1);
  const int32_t outer = depth > 0 ? tfm_tensor_elements(in) / depth : 0;
  if (in->type == TFM_FLOAT32) {
    softmax_f32(d, outer, depth, (const float *)in->data, (float *)out->data);
  } else if (in->type == TFM_INT8) {
    softmax_q8(d, outer, depth, (const int8_t *)in->data, out->data, out->type == TFM_INT8 ? 8 : 16);
  } else {
    softmax_i16(d, outer, depth, (const int16_t *)in->data, (int16_t *)out->data);
  }
  return TFM_OK;
}

const tfm_kernel *tfm_register_softmax(void) {
  static const tfm_kernel kernel = TFM_BUILTIN_KERNEL(SOFTMAX, tfm_softmax_prepare, eval);
  return &kernel;
}
