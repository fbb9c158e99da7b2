/* LOG_SOFTMAX over the last dim, as TFLite's reference kernels:
 * float32: x - max - log(sum(exp(x - max))), float sums in order;
 * int8 (output scale 16/256, zero point 127): gemmlowp fixed point, the
 * differences to the row max scaled to Q5.26, exp summed in Q12, log in Q5
 * (internal/fixedpoint_log.h), rescaled to the output; differences below
 * the (log-adjusted) diff_min give -128. */
#include "common/log_softmax.h"

#include <float.h>

#include "common/activation_common.h"
#include "internal/fixedpoint.h"
#include "internal/fixedpoint_log.h"
#include "internal/fmath.h"
#include "internal/quant.h"
#include "tfm/kernels.h"

typedef struct log_softmax_data {
  int32_t input_multiplier;
  int input_left_shift;
  int32_t reverse_multiplier;
  int reverse_shift; /* left shift (<= 0) */
  int32_t diff_min;
} log_softmax_data;

tfm_status tfm_log_softmax_prepare(tfm_context *ctx, tfm_node *node) {
  static const int kTypes[] = {TFM_FLOAT32, TFM_INT8, -1};
  const tfm_tensor *in, *out;
  TFM_TRY(tfm_unary_prepare(ctx, node, "LOG_SOFTMAX", kTypes, true, sizeof(log_softmax_data),
                            &in, &out));
  if (in->rank < 1) return tfm_fail(ctx, TFM_BAD_MODEL, "input needs rank >= 1");
  if (in->type == TFM_FLOAT32) return TFM_OK;
  if (out->scale != 16.0f / 256.0f || out->zero_point != 127) {
    return tfm_fail(ctx, TFM_UNSUPPORTED, "INT8 output needs scale 16/256 and zero point 127");
  }
  if (!(in->scale > 0.0f)) return tfm_fail(ctx, TFM_BAD_MODEL, "INT8 input needs a positive scale");
  log_softmax_data *d = (log_softmax_data *)node->data;
  /* PreprocessLogSoftmaxScalingExp(beta 1, 5 integer bits) */
  double real = (double)in->scale * (double)(1 << 26);
  if (real > 2147483647.0) real = 2147483647.0;
  tfm_quantize_multiplier(real, &d->input_multiplier, &d->input_left_shift);
  const double reverse = (double)(1LL << (31 - d->input_left_shift)) / (double)d->input_multiplier;
  if (!(reverse > 0.0 && reverse < 1.0)) {
    return tfm_fail(ctx, TFM_UNSUPPORTED, "input scale %f not supported", (double)in->scale);
  }
  tfm_quantize_multiplier(reverse, &d->reverse_multiplier, &d->reverse_shift);
  /* -CalculateInputRadius(5, left shift) */
  d->diff_min = -(int32_t)(31.0 * (double)(1LL << 26) / (double)(1LL << d->input_left_shift));
  return TFM_OK;
}

static void eval_int8(const log_softmax_data *d, const int8_t *x, int8_t *y, int32_t depth) {
  int32_t max = -128;
  for (int32_t c = 0; c < depth; ++c) max = x[c] > max ? x[c] : max;
  int32_t sum_q12 = 0;
  for (int32_t c = 0; c < depth; ++c) {
    const int32_t diff = x[c] - max;
    if (diff >= d->diff_min) {
      const int32_t diff_q5 = tfm_multiply_by_quantized_multiplier(diff, d->input_multiplier,
                                                                   d->input_left_shift);
      /* exp (Q0) rescaled to Q12: a saturating divide by 2^12 */
      sum_q12 = tfm_add_wrap_i32(sum_q12, tfm_fp_mul_pot(tfm_fp_exp_on_negative_values(diff_q5, 5), -12));
    }
  }
  const int32_t log_sum_q5 = tfm_fp_log_q12_to_q5(sum_q12);
  const int32_t shifted = tfm_add_wrap_i32(log_sum_q5, INT32_MIN);
  const int32_t rev = tfm_multiply_by_quantized_multiplier(shifted, d->reverse_multiplier, d->reverse_shift);
  const int32_t adjusted_diff_min = d->diff_min - 1 > rev ? d->diff_min - 1 : rev;
  for (int32_t c = 0; c < depth; ++c) {
    const int32_t diff = x[c] - max;
    if (diff > adjusted_diff_min) {
      const int32_t diff_q5 = tfm_multiply_by_quantized_multiplier(diff, d->input_multiplier,
                                                                   d->input_left_shift);
      const int32_t v = tfm_rounding_divide_by_pot(tfm_wrap_i32((uint32_t)diff_q5 - (uint32_t)log_sum_q5),
                                                   31 - 5 - 4) + 127;
      y[c] = (int8_t)tfm_clamp_i32(v, -128, 127);
    } else {
      y[c] = -128;
    }
  }
}

tfm_status tfm_log_softmax_eval_reference(tfm_context *ctx, tfm_node *node) {
  const tfm_tensor *in = tfm_input(ctx, node, 0);
  tfm_tensor *out = tfm_output(ctx, node, 0);
  const int32_t depth = in->dims[in->rank - 1];
  const int32_t outer = depth ? tfm_tensor_elements(in) / depth : 0;
  for (int32_t i = 0; i < outer; ++i) {
    if (in->type == TFM_INT8) {
      eval_int8((const log_softmax_data *)node->data, (const int8_t *)in->data + (size_t)i * depth,
                (int8_t *)out->data + (size_t)i * depth, depth);
      continue;
    }
    const float *x = (const float *)in->data + (size_t)i * depth;
    float *y = (float *)out->data + (size_t)i * depth;
    float max = -FLT_MAX; /* std::numeric_limits<float>::lowest() */
    for (int32_t c = 0; c < depth; ++c) max = x[c] > max ? x[c] : max;
    float sum = 0.0f;
    for (int32_t c = 0; c < depth; ++c) sum += tfm_expf(x[c] - max);
    const float log_sum = tfm_logf(sum);
    for (int32_t c = 0; c < depth; ++c) y[c] = x[c] - max - log_sum;
  }
  return TFM_OK;
}
