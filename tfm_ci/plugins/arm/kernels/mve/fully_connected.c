/* arm-mve FULLY_CONNECTED: replaces kernels/reference/fully_connected.c in
 * kernel set "arm-mve". Prepare and the float32 / int16 / asymmetric-weights
 * paths are the shared ones of common/fully_connected.h; int8 with symmetric
 * weights runs two units at a time on MVE dot products (mve_dot.h), rescaled
 * with the reference's single rounding (LiteRT's FULLY_CONNECTED). */
#include "common/fully_connected.h"
#include "common/ops.h"
#include "internal/quant.h"
#include "mve_dot.h"
#include "tfm/kernels.h"

static int8_t mve_fc_out(const TfmFullyConnectedData *d, int32_t acc, int32_t u) {
  const int32_t c = d->channels > 1 ? u : 0;
  acc = tfm_multiply_by_quantized_multiplier_single(acc, d->multiplier[c], d->shift[c]);
  acc = tfm_add_wrap_i32(acc, d->output_offset);
  return (int8_t)tfm_clamp_i32(acc, d->act_min, d->act_max);
}

static void mve_fc_s8(const TfmFullyConnectedData *d, const int8_t *in, const int8_t *w,
                      const int32_t *bias, int8_t *out) {
  const int32_t depth = d->depth, units = d->units;
  for (int32_t b = 0; b < d->batches; ++b, out += units) {
    const int8_t *x = in + b * depth;
    int32_t u = 0;
    for (; u + 2 <= units; u += 2) {
      int32_t acc[2] = {bias ? bias[u] : 0, bias ? bias[u + 1] : 0};
      mve_dot2_s8(w + u * depth, w + (u + 1) * depth, x, depth, d->input_offset, acc);
      out[u] = mve_fc_out(d, acc[0], u);
      out[u + 1] = mve_fc_out(d, acc[1], u + 1);
    }
    if (u < units) {
      const int32_t acc = mve_dot_s8(w + u * depth, x, depth, d->input_offset,
                                     bias ? bias[u] : 0);
      out[u] = mve_fc_out(d, acc, u);
    }
  }
}

static tfm_status mve_fc_eval(tfm_context *ctx, tfm_node *node) {
  const TfmFullyConnectedData *d = (const TfmFullyConnectedData *)node->data;
  const tfm_tensor *in = tfm_input(ctx, node, 0);
  if (in->type != TFM_INT8 || d->weights_offset != 0) {
    return tfm_fully_connected_eval_reference(ctx, node);
  }
  const tfm_tensor *w = tfm_input(ctx, node, 1);
  const tfm_tensor *bias = node->num_inputs == 3 ? tfm_input(ctx, node, 2) : NULL;
  mve_fc_s8(d, (const int8_t *)in->data, (const int8_t *)w->data,
            bias ? (const int32_t *)bias->data : NULL, (int8_t *)tfm_output(ctx, node, 0)->data);
  return TFM_OK;
}

const tfm_kernel *tfm_register_fully_connected(void) {
  static const tfm_kernel kernel =
      TFM_BUILTIN_KERNEL(FULLY_CONNECTED, tfm_fully_connected_prepare, mve_fc_eval);
  return &kernel;
}
