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

/* TFLite's single-rounding rescale (x * m + 2^(t-1)) >> t, t = 31 - shift: for
 * t >= 33 the rounding term is 2^(t-33) in the high word of the 64-bit
 * product (which then cannot overflow: |x * m| < 2^62), so the result is that
 * high word shifted right by t - 32: one SMLAL and one ASR. */
static inline int32_t dsp_fc_rescale(int32_t x, int32_t m, int shift) {
  const int t = 31 - shift;
  if (t >= 33 && t <= 62) {
    const int64_t z = (int64_t)((uint64_t)1u << (t - 1)) + (int64_t)x * m;
    return (int32_t)(z >> 32) >> (t - 32);
  }
  return tfm_multiply_by_quantized_multiplier_single(x, m, shift);
}

static int8_t dsp_fc_out(const TfmFullyConnectedData *d, int32_t acc, int32_t u) {
  const int32_t c = d->channels > 1 ? u : 0;
  acc = dsp_fc_rescale(acc, d->multiplier[c], d->shift[c]);
  acc = (int32_t)((uint32_t)acc + (uint32_t)d->output_offset);
  return (int8_t)tfm_clamp_i32(acc, d->act_min, d->act_max);
}

static void dsp_fc_s8(const TfmFullyConnectedData *d, const int8_t *in, const int8_t *w,
                      const int32_t *bias, int8_t *out) {
  const int32_t depth = d->depth, units = d->units;
  for (int32_t b = 0; b < d->batches; ++b, out += units) {
    const int8_t *x = in + b * depth;
    int32_t u = 0;
    const int32_t groups = depth >> 2, t = depth & 3;
    /* per-tensor rescale on its fast form: the constants once */
    const int32_t m0 = d->multiplier[0], t0 = 31 - d->shift[0];
    const bool fast = d->channels <= 1 && t0 >= 33 && t0 <= 62;
    const int64_t round0 = fast ? (int64_t)((uint64_t)1u << (t0 - 1)) : 0;
    const int32_t off = d->output_offset, lo = d->act_min, hi = d->act_max;
    dsp_fc4_args a = {x, NULL, groups, depth, dsp_dup16(d->input_offset), NULL};
    for (; groups > 0 && u + 4 <= units; u += 4) { /* four units on dsp_fc_dot4 */
      int32_t acc[4];
      for (int i = 0; i < 4; ++i) acc[i] = bias ? bias[u + i] : 0;
      const int8_t *wu = w + u * depth;
      a.w = wu;
      a.acc = acc;
      dsp_fc_dot4(&a);
      if (t) {
        for (int i = 0; i < 4; ++i) {
          uint32_t s = (uint32_t)acc[i];
          for (int32_t j = 4 * groups; j < depth; ++j) {
            s += (uint32_t)(wu[i * depth + j] * (x[j] + d->input_offset));
          }
          acc[i] = (int32_t)s;
        }
      }
      if (fast) {
        for (int i = 0; i < 4; ++i) {
          const int64_t z = round0 + (int64_t)acc[i] * m0;
          const int32_t v = (int32_t)((uint32_t)((int32_t)(z >> 32) >> (t0 - 32)) + (uint32_t)off);
          out[u + i] = (int8_t)(v < lo ? lo : (v > hi ? hi : v));
        }
      } else {
        for (int i = 0; i < 4; ++i) out[u + i] = dsp_fc_out(d, acc[i], u + i);
      }
    }
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
