/* arm-mve FULLY_CONNECTED: replaces kernels/reference/fully_connected.c in
 * kernel set "arm-mve". Prepare and the float32 / int16 / asymmetric-weights
 * paths are the shared ones of common/fully_connected.h. int8 with symmetric
 * constant weights runs four units at a time on MVE dot products
 * (mve_dot.h); the input offset is folded into a per-unit correction
 * bias + input_offset * sum(w), computed once in prepare (4 bytes per unit,
 * arena tail); the rescale is the reference's single rounding (LiteRT's
 * FULLY_CONNECTED). */
#include "common/fully_connected.h"
#include "common/ops.h"
#include "internal/quant.h"
#include "mve_dot.h"
#include "tfm/kernels.h"

/* The shared node data first (the reference eval reads it), then ours. */
typedef struct mve_fc_data {
  TfmFullyConnectedData d;
  int32_t *corr; /* per unit; NULL: the reference eval */
} mve_fc_data;

static tfm_status mve_fc_prepare(tfm_context *ctx, tfm_node *node) {
  TFM_TRY(tfm_fully_connected_prepare(ctx, node));
  mve_fc_data *m;
  TFM_TRY(tfm_alloc_persistent(ctx, sizeof *m, (void **)&m));
  m->d = *(const TfmFullyConnectedData *)node->data;
  m->corr = NULL;
  node->data = m;
  const tfm_tensor *in = tfm_input(ctx, node, 0), *w = tfm_input(ctx, node, 1);
  if (in->type != TFM_INT8 || m->d.weights_offset != 0 ||
      !(w->flags & TFM_TENSOR_CONSTANT) || w->data == NULL) {
    return TFM_OK;
  }
  const tfm_tensor *bias_t = node->num_inputs == 3 ? tfm_input(ctx, node, 2) : NULL;
  if (bias_t != NULL && !(bias_t->flags & TFM_TENSOR_CONSTANT)) return TFM_OK;
  const int32_t *bias = bias_t ? (const int32_t *)bias_t->data : NULL;
  TFM_TRY(tfm_alloc_persistent(ctx, (size_t)m->d.units * sizeof(int32_t), (void **)&m->corr));
  const int8_t *wp = (const int8_t *)w->data;
  for (int32_t u = 0; u < m->d.units; ++u, wp += m->d.depth) {
    const uint32_t sum = (uint32_t)mve_sum1(wp, m->d.depth, 0);
    m->corr[u] = (int32_t)((uint32_t)(bias ? bias[u] : 0) + sum * (uint32_t)m->d.input_offset);
  }
  return TFM_OK;
}

static int8_t mve_fc_out(const TfmFullyConnectedData *d, int32_t acc, int32_t u) {
  const int32_t c = d->channels > 1 ? u : 0;
  acc = tfm_multiply_by_quantized_multiplier_single(acc, d->multiplier[c], d->shift[c]);
  acc = tfm_add_wrap_i32(acc, d->output_offset);
  return (int8_t)tfm_clamp_i32(acc, d->act_min, d->act_max);
}

static void mve_fc_s8(const mve_fc_data *m, const int8_t *in, const int8_t *w, int8_t *out) {
  const TfmFullyConnectedData *d = &m->d;
  const int32_t depth = d->depth, units = d->units;
  for (int32_t b = 0; b < d->batches; ++b, out += units, in += depth) {
    int32_t u = 0;
    for (; u + 4 <= units; u += 4) {
      int32_t acc[4] = {m->corr[u], m->corr[u + 1], m->corr[u + 2], m->corr[u + 3]};
      mve_dot4x1(w + u * depth, depth, in, depth, acc);
      for (int32_t i = 0; i < 4; ++i) out[u + i] = mve_fc_out(d, acc[i], u + i);
    }
    for (; u < units; ++u) out[u] = mve_fc_out(d, mve_dot1(w + u * depth, in, depth, m->corr[u]), u);
  }
}

static tfm_status mve_fc_eval(tfm_context *ctx, tfm_node *node) {
  const mve_fc_data *m = (const mve_fc_data *)node->data;
  if (m->corr == NULL) return tfm_fully_connected_eval_reference(ctx, node);
  mve_fc_s8(m, (const int8_t *)tfm_input(ctx, node, 0)->data,
            (const int8_t *)tfm_input(ctx, node, 1)->data,
            (int8_t *)tfm_output(ctx, node, 0)->data);
  return TFM_OK;
}

const tfm_kernel *tfm_register_fully_connected(void) {
  static const tfm_kernel kernel =
      TFM_BUILTIN_KERNEL(FULLY_CONNECTED, mve_fc_prepare, mve_fc_eval);
  return &kernel;
}
