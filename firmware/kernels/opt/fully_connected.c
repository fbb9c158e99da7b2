/* "opt" FULLY_CONNECTED: replaces kernels/reference/fully_connected.c in
 * kernel set "opt".
 *
 * Prepare and the float32 / int16 / asymmetric-weights paths are the shared
 * ones of common/fully_connected.h. int8 with symmetric weights (TFLite's
 * int8 spec) runs here, one input row (batch) at a time: four units share
 * each input value, loaded and offset once, so a multiply-accumulate costs a
 * weight load and a multiply-add. The rescale is the reference's
 * single-rounding one (LiteRT's FULLY_CONNECTED). Exactness: opt_gemm.h. */
#include "common/fully_connected.h"
#include "common/ops.h"
#include "opt_gemm.h"
#include "tfm/kernels.h"

/* acc[u] += sum_j w_u[j] * (x[j] + offset) for rows w, w + depth, ... (`rows` <= 4). */
static TFM_OPT_HOT void fc_dot4(const int8_t *x, const int8_t *w, int32_t depth, int32_t offset,
                                uint32_t *acc) {
  const int8_t *w0 = w, *w1 = w + depth, *w2 = w1 + depth, *w3 = w2 + depth;
  uint32_t s0 = acc[0], s1 = acc[1], s2 = acc[2], s3 = acc[3];
  for (int32_t j = 0; j < depth; ++j) {
    const int32_t xv = x[j] + offset;
    s0 += (uint32_t)(w0[j] * xv);
    s1 += (uint32_t)(w1[j] * xv);
    s2 += (uint32_t)(w2[j] * xv);
    s3 += (uint32_t)(w3[j] * xv);
  }
  acc[0] = s0, acc[1] = s1, acc[2] = s2, acc[3] = s3;
}

static TFM_OPT_HOT uint32_t fc_dot1(const int8_t *x, const int8_t *w, int32_t depth,
                                    int32_t offset, uint32_t acc) {
  for (int32_t j = 0; j < depth; ++j) acc += (uint32_t)(w[j] * (x[j] + offset));
  return acc;
}

static int8_t fc_out(const TfmFullyConnectedData *d, int32_t u, uint32_t acc) {
  const int32_t c = d->channels > 1 ? u : 0;
  int32_t v = tfm_multiply_by_quantized_multiplier_single(tfm_wrap_i32(acc), d->multiplier[c],
                                                          d->shift[c]);
  v = tfm_add_wrap_i32(v, d->output_offset);
  return (int8_t)tfm_clamp_i32(v, d->act_min, d->act_max);
}

static void opt_fc_s8(const TfmFullyConnectedData *d, const int8_t *in, const int8_t *w,
                      const int32_t *bias, int8_t *out) {
  const int32_t depth = d->depth, units = d->units;
  for (int32_t b = 0; b < d->batches; ++b, in += depth, out += units) {
    int32_t u = 0;
    for (; u + 4 <= units; u += 4) {
      uint32_t acc[4] = {0, 0, 0, 0};
      if (bias) {
        for (int i = 0; i < 4; ++i) acc[i] = (uint32_t)bias[u + i];
      }
      fc_dot4(in, w + u * depth, depth, d->input_offset, acc);
      for (int i = 0; i < 4; ++i) out[u + i] = fc_out(d, u + i, acc[i]);
    }
    for (; u < units; ++u) {
      const uint32_t acc = fc_dot1(in, w + u * depth, depth, d->input_offset,
                                   bias ? (uint32_t)bias[u] : 0u);
      out[u] = fc_out(d, u, acc);
    }
  }
}

static tfm_status opt_fc_eval(tfm_context *ctx, tfm_node *node) {
  const TfmFullyConnectedData *d = (const TfmFullyConnectedData *)node->data;
  const tfm_tensor *in = tfm_input(ctx, node, 0);
  if (in->type != TFM_INT8 || d->weights_offset != 0) {
    return tfm_fully_connected_eval_reference(ctx, node);
  }
  const tfm_tensor *w = tfm_input(ctx, node, 1);
  const tfm_tensor *bias = node->num_inputs == 3 ? tfm_input(ctx, node, 2) : NULL;
  tfm_tensor *out = tfm_output(ctx, node, 0);
  opt_fc_s8(d, (const int8_t *)in->data, (const int8_t *)w->data,
            bias ? (const int32_t *)bias->data : NULL, (int8_t *)out->data);
  return TFM_OK;
}

const tfm_kernel *tfm_register_fully_connected(void) {
  static const tfm_kernel kernel =
      TFM_BUILTIN_KERNEL(FULLY_CONNECTED, tfm_fully_connected_prepare, opt_fc_eval);
  return &kernel;
}
