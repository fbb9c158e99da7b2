#include "common/softmax_common.h"
#include "common/softmax.h"

#include "common/activation_common.h"
#include "internal/fixedpoint.h"
#include "internal/quant.h"

static double exp_d(double x) { return tfm_exp(x); }
static double one_over_one_plus_x(double x) { return 1.0 / (1.0 + x); }

/* TFLite's LUTPopulate<int16_t> with double arithmetic: 512 samples with a
 * midpoint-error bias, plus one extra value for the last slope. */
static void lut_populate_i16(double in_scale, int32_t in_zp, double out_scale, int32_t out_zp,
                             double (*fn)(double), int16_t *lut) {
  const double input_min = in_scale * (double)(-32768 - in_zp);
  const double input_max = in_scale * (double)(32767 - in_zp);
  const double output_min = out_scale * (double)(-32768 - out_zp);
  const double output_max = out_scale * (double)(32767 - out_zp);
  const int steps = 512;
  const double step = (input_max - input_min) / steps;
  const double half_step = step / 2;
  const double inv = 65536.0 / (output_max - output_min);
  for (int i = 0; i < steps; ++i) {
    const double val = fn(input_min + i * step);
    const double val_mid = fn(input_min + i * step + half_step);
    const double val_next = fn(input_min + (i + 1) * step);
    const double sample = tfm_round(val * inv);
    const double mid_interp = tfm_round((val_next * inv + tfm_round(val * inv)) / 2);
    const double mid_val = tfm_round(val_mid * inv);
    const double bias = tfm_round((mid_interp - mid_val) / 2);
    double v = sample - bias;
    v = v < -32768.0 ? -32768.0 : (v > 32767.0 ? 32767.0 : v);
    lut[i] = (int16_t)v;
  }
  double last = tfm_round(fn(input_max) * inv);
  last = last < -32768.0 ? -32768.0 : (last > 32767.0 ? 32767.0 : last);
  lut[steps] = (int16_t)last;
}

int16_t tfm_lut_lookup_i16(int16_t value, const int16_t *lut) {
  const uint16_t index = (uint16_t)(256 + (value >> 7));
  const int16_t offset = (int16_t)(value & 0x7f);
  const int16_t base = lut[index];
  const int16_t slope = (int16_t)(lut[index + 1] - lut[index]);
  const int32_t delta = (slope * offset + 64) >> 7;
  return (int16_t)(base + delta);
}

tfm_status tfm_softmax_prepare(tfm_context *ctx, tfm_node *node) {
  static const int kTypes[] = {TFM_INT8, TFM_INT16, TFM_FLOAT32, -1};
  const tfm_tensor *in, *out;
  TFM_TRY(tfm_unary_prepare(ctx, node, "SOFTMAX", kTypes, false, sizeof(tfm_softmax_data), &in,
                            &out));
  tfm_softmax_data *d = (tfm_softmax_data *)node->data;
  d->beta = tfm_opt_f32(node, 4, 1.0f);
  const bool ok = (in->type == TFM_FLOAT32 && out->type == TFM_FLOAT32) ||
                  (in->type == TFM_INT8 && (out->type == TFM_INT8 || out->type == TFM_INT16)) ||
                  (in->type == TFM_INT16 && out->type == TFM_INT16);
  if (!ok || in->rank < 1) {
    return tfm_fail(ctx, TFM_UNSUPPORTED, "SOFTMAX: input %s (rank %d) with output %s not supported",
                    tfm_type_name((tfm_type)in->type), in->rank, tfm_type_name((tfm_type)out->type));
  }
  if (in->type == TFM_FLOAT32) return TFM_OK;
  if (in->type == TFM_INT8) {
    if (out->type == TFM_INT8) {
      TFM_TRY(tfm_expect_zero_point(ctx, "SOFTMAX", "INT8 output", out, -128));
      const float err = out->scale - 1.0f / 256;
      if (err > 0.001f / 256 || err < -0.001f / 256) {
        return tfm_fail(ctx, TFM_UNSUPPORTED, "SOFTMAX: INT8 output scale must be 1/256");
      }
    }
    /* PreprocessSoftmaxScaling with 5 integer bits for the scaled difference. */
    double real = (double)d->beta * (double)in->scale * (double)(1 << 26);
    if (real > 2147483647.0) real = 2147483647.0;
    tfm_quantize_multiplier(real, &d->input_multiplier, &d->input_left_shift);
    /* CalculateInputRadius(5, shift): floor(31 * 2^26 / 2^shift). */
    const double radius = 31.0 * (double)(1LL << 26) / (double)(1LL << d->input_left_shift);
    d->diff_min = -(int32_t)radius; /* radius > 0: truncation is floor */
    return TFM_OK;
  }
  TFM_TRY(tfm_expect_zero_point(ctx, "SOFTMAX", "INT16 input", in, 0));
  TFM_TRY(tfm_expect_zero_point(ctx, "SOFTMAX", "INT16 output", out, 0));
  const float err = out->scale - 1.0f / 32768;
  if (err > 0.001f / 32768 || err < -0.001f / 32768) {
    return tfm_fail(ctx, TFM_UNSUPPORTED, "SOFTMAX: INT16 output scale must be 1/32768");
  }
  TFM_TRY(tfm_alloc_persistent(ctx, 2 * TFM_SOFTMAX_LUT_SIZE * sizeof(int16_t), (void **)&d->exp_lut));
  d->one_over_one_plus_x_lut = d->exp_lut + TFM_SOFTMAX_LUT_SIZE;
  const double range = 65535.0;
  lut_populate_i16(10.0 / range, 32767, 2.0 / range, 0, exp_d, d->exp_lut);
  lut_populate_i16(1.0 / range, -32768, 2.0 / range, 0, one_over_one_plus_x,
                   d->one_over_one_plus_x_lut);
  /* Scale differences so that [-65535, 0] covers [-10, 0]. */
  const float scale_beta = in->scale * d->beta;
  tfm_quantize_multiplier((double)scale_beta / (10.0 / 65535.0), &d->input_multiplier,
                          &d->input_left_shift);
  return TFM_OK;
}

/* -- SOFTMAX reference eval (common/softmax.h) -- */
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

tfm_status tfm_softmax_eval_reference(tfm_context *ctx, tfm_node *node) {
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
