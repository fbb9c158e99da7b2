/* arm-dsp FULLY_CONNECTED: replaces kernels/reference/fully_connected.c in
 * kernel set "arm-dsp".
 *
 * Prepare and the float32 / int16 / asymmetric-weights paths are the shared
 * ones of common/fully_connected.h (tfm_fully_connected_prepare,
 * tfm_fully_connected_eval_reference, TfmFullyConnectedData).
 * int8 with symmetric weights (zero point 0, TFLite's int8 spec) runs here:
 * two units at a time share each group of 4 inputs, unpacked once with the
 * input offset added (SXTAB16); 4 weights per unit unpack with SXTB16 and
 * two SMLADs accumulate them. The rescale is the reference's single-rounding
 * one (LiteRT's FULLY_CONNECTED). Bit-exact: see arm_dsp.h. */
#include "arm_dsp.h"
#include "common/fully_connected.h"
#include "common/ops.h"
#include "tfm/kernels.h"

/* acc[u] += sum_j w_u[j] * (x[j] + offset) for the rows w0 and w0 + depth. */
static TFM_DSP_HOT void dsp_fc_dot2(const int8_t *x, const int8_t *w0, int32_t depth,
                                    int32_t offset, int32_t *acc) {
  const int32_t offset2 = dsp_dup16(offset);
  const int8_t *w1 = w0 + depth;
  int32_t s0 = acc[0], s1 = acc[1];
  for (int32_t g = depth >> 2; g > 0; --g, x += 4, w0 += 4, w1 += 4) {
    const int32_t xv = dsp_load4(x);
    const int32_t x02 = dsp_ext02(offset2, xv), x13 = dsp_ext13(offset2, xv);
    int32_t wv = dsp_load4(w0);
    s0 = __smlad(dsp_sx02(wv), x02, s0);
    s0 = __smlad(dsp_sx13(wv), x13, s0);
    wv = dsp_load4(w1);
    s1 = __smlad(dsp_sx02(wv), x02, s1);
    s1 = __smlad(dsp_sx13(wv), x13, s1);
  }
  uint32_t t0 = (uint32_t)s0, t1 = (uint32_t)s1;
  for (int32_t j = 0; j < (depth & 3); ++j) {
    const int32_t xv = x[j] + offset;
    t0 += (uint32_t)(w0[j] * xv);
    t1 += (uint32_t)(w1[j] * xv);
  }
  acc[0] = (int32_t)t0;
  acc[1] = (int32_t)t1;
}

/* acc + sum_j w[j] * (x[j] + offset) for one row (the odd last unit). */
static TFM_DSP_HOT int32_t dsp_fc_dot1(const int8_t *x, const int8_t *w, int32_t depth,
                                       int32_t offset, int32_t acc) {
  const int32_t offset2 = dsp_dup16(offset);
  for (int32_t g = depth >> 2; g > 0; --g, x += 4, w += 4) {
    const int32_t xv = dsp_load4(x), wv = dsp_load4(w);
    acc = __smlad(dsp_sx02(wv), dsp_ext02(offset2, xv), acc);
    acc = __smlad(dsp_sx13(wv), dsp_ext13(offset2, xv), acc);
  }
  uint32_t t = (uint32_t)acc;
  for (int32_t j = 0; j < (depth & 3); ++j) t += (uint32_t)(w[j] * (x[j] + offset));
  return (int32_t)t;
}

static int8_t dsp_fc_out(const TfmFullyConnectedData *d, int32_t acc, int32_t u) {
  const int32_t c = d->channels > 1 ? u : 0;
  acc = tfm_multiply_by_quantized_multiplier_single(acc, d->multiplier[c], d->shift[c]);
  acc = (int32_t)((uint32_t)acc + (uint32_t)d->output_offset);
  return (int8_t)tfm_clamp_i32(acc, d->act_min, d->act_max);
}

static void dsp_fc_s8(const TfmFullyConnectedData *d, const int8_t *in, const int8_t *w,
                      const int32_t *bias, int8_t *out) {
  const int32_t depth = d->depth, units = d->units;
  for (int32_t b = 0; b < d->batches; ++b, out += units) {
    const int8_t *x = in + b * depth;
    int32_t u = 0;
    for (; u + 2 <= units; u += 2) {
      int32_t acc[2] = {bias ? bias[u] : 0, bias ? bias[u + 1] : 0};
      dsp_fc_dot2(x, w + u * depth, depth, d->input_offset, acc);
      out[u] = dsp_fc_out(d, acc[0], u);
      out[u + 1] = dsp_fc_out(d, acc[1], u + 1);
    }
    if (u < units) {
      const int32_t acc = dsp_fc_dot1(x, w + u * depth, depth, d->input_offset,
                                      bias ? bias[u] : 0);
      out[u] = dsp_fc_out(d, acc, u);
    }
  }
}

static tfm_status dsp_fc_eval(tfm_context *ctx, tfm_node *node) {
  const TfmFullyConnectedData *d = (const TfmFullyConnectedData *)node->data;
  const tfm_tensor *in = tfm_input(ctx, node, 0);
  if (in->type != TFM_INT8 || d->weights_offset != 0) {
    return tfm_fully_connected_eval_reference(ctx, node);
  }
  const tfm_tensor *w = tfm_input(ctx, node, 1);
  const tfm_tensor *bias = node->num_inputs == 3 ? tfm_input(ctx, node, 2) : NULL;
  tfm_tensor *out = tfm_output(ctx, node, 0);
  dsp_fc_s8(d, (const int8_t *)in->data, (const int8_t *)w->data,
            bias ? (const int32_t *)bias->data : NULL, (int8_t *)out->data);
  return TFM_OK;
}

const tfm_kernel *tfm_register_fully_connected(void) {
  static const tfm_kernel kernel = TFM_BUILTIN_KERNEL(FULLY_CONNECTED, tfm_fully_connected_prepare,
                                                       dsp_fc_eval);
  return &kernel;
}
