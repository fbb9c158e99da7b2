/* arm-mve FULLY_CONNECTED: replaces kernels/reference/fully_connected.c in
 * kernel set "arm-mve". Prepare and the float32 / int16 / asymmetric-weights
 * paths are the shared ones of common/fully_connected.h. int8 with symmetric
 * constant weights runs four units at a time on MVE dot products
 * (mve_dot.h); the input offset is folded into a per-unit correction
 * bias + input_offset * sum(w), computed once in prepare (4 bytes per unit,
 * arena tail); the rescale is the reference's single rounding (LiteRT's
 * FULLY_CONNECTED): round(x * m / 2^(31 - shift)), half up. Four units at a
 * time on MVE when every shift <= 0: with H = floor(x * m / 2^31) (VQDMULH,
 * which saturates only for x = m = INT32_MIN, impossible with m >= 0), for
 * shift < 0 floor((x * m + 2^(30 - shift)) / 2^(31 - shift)) = (H + 2^(-shift - 1))
 * >> -shift (the dropped low bits of x * m are < 2^31: they cannot carry into
 * the rounding) = VRSHL(H, shift); for shift = 0 it is VQRDMULH(x, m). Positive
 * shifts (left) rescale per value in 64 bits. */
#include "common/fully_connected.h"
#include "common/ops.h"
#include "internal/quant.h"
#include "mve_dot.h"
#include "mve_rq.h"
#include "tfm/kernels.h"

/* Our node data: the shared prepare's (handed back to the reference eval) and
 * the corrections. 8 bytes per node, not a copy of the shared data. */
typedef struct mve_fc_data {
  TfmFullyConnectedData *d;
  int32_t *corr; /* per unit; NULL: the reference eval */
} mve_fc_data;

static tfm_status mve_fc_prepare(tfm_context *ctx, tfm_node *node) {
  TFM_TRY(tfm_fully_connected_prepare(ctx, node));
  mve_fc_data *m;
  TFM_TRY(tfm_alloc_persistent(ctx, sizeof *m, (void **)&m));
  m->d = (TfmFullyConnectedData *)node->data;
  m->corr = NULL;
  node->data = m;
  const tfm_tensor *in = tfm_input(ctx, node, 0), *w = tfm_input(ctx, node, 1);
  if (in->type != TFM_INT8 || m->d->weights_offset != 0 ||
      !(w->flags & TFM_TENSOR_CONSTANT) || w->data == NULL) {
    return TFM_OK;
  }
  const tfm_tensor *bias_t = node->num_inputs == 3 ? tfm_input(ctx, node, 2) : NULL;
  if (bias_t != NULL && !(bias_t->flags & TFM_TENSOR_CONSTANT)) return TFM_OK;
  const int32_t *bias = bias_t ? (const int32_t *)bias_t->data : NULL;
  TFM_TRY(tfm_alloc_persistent(ctx, (size_t)m->d->units * sizeof(int32_t), (void **)&m->corr));
  const int8_t *wp = (const int8_t *)w->data;
  for (int32_t u = 0; u < m->d->units; ++u, wp += m->d->depth) {
    const uint32_t sum = (uint32_t)mve_sum1(wp, m->d->depth, 0);
    m->corr[u] = (int32_t)((uint32_t)(bias ? bias[u] : 0) + sum * (uint32_t)m->d->input_offset);
  }
  return TFM_OK;
}

static int8_t mve_fc_out(const TfmFullyConnectedData *d, int32_t acc, int32_t u) {
  const int32_t c = d->channels > 1 ? u : 0;
  acc = tfm_multiply_by_quantized_multiplier_single(acc, d->multiplier[c], d->shift[c]);
  acc = tfm_add_wrap_i32(acc, d->output_offset);
  return (int8_t)tfm_clamp_i32(acc, d->act_min, d->act_max);
}

/* Single-rounding rescale of four accumulators (all shifts <= 0). */
static inline int32x4_t mve_fc_rq4(int32x4_t x, int32x4_t mult, int32x4_t shift, int32_t offset,
                                   int32_t lo, int32_t hi) {
  const int32x4_t down = vrshlq_s32(vqdmulhq_s32(x, mult), shift);
  const int32x4_t r = vpselq_s32(vqrdmulhq_s32(x, mult), down, vcmpeqq_n_s32(shift, 0));
  return vminq_s32(vmaxq_s32(vaddq_n_s32(r, offset), vdupq_n_s32(lo)), vdupq_n_s32(hi));
}

static void mve_fc_s8(const mve_fc_data *m, const int8_t *in, const int8_t *w, int8_t *out) {
  const TfmFullyConnectedData *d = m->d;
  const int32_t depth = d->depth, units = d->units;
  for (int32_t b = 0; b < d->batches; ++b, out += units, in += depth) {
    int32_t u = 0;
    for (; u + 4 <= units; u += 4) {
      int32_t acc[4] = {m->corr[u], m->corr[u + 1], m->corr[u + 2], m->corr[u + 3]};
      mve_dot4x1(w + u * depth, depth, in, depth, acc);
      const int32x4_t shift = d->channels > 1 ? vldrwq_s32(d->shift + u)
                                              : vdupq_n_s32(d->shift[0]);
      if (vcmpgtq_n_s32(shift, 0) == 0) { /* no left shift among the four */
        const int32x4_t mult = d->channels > 1 ? vldrwq_s32(d->multiplier + u)
                                               : vdupq_n_s32(d->multiplier[0]);
        vstrbq_s32(out + u, mve_fc_rq4(vldrwq_s32(acc), mult, shift, d->output_offset,
                                       d->act_min, d->act_max));
        continue;
      }
      for (int32_t i = 0; i < 4; ++i) out[u + i] = mve_fc_out(d, acc[i], u + i);
    }
    for (; u < units; ++u) out[u] = mve_fc_out(d, mve_dot1(w + u * depth, in, depth, m->corr[u]), u);
  }
}

static tfm_status mve_fc_eval(tfm_context *ctx, tfm_node *node) {
  mve_fc_data *m = (mve_fc_data *)node->data;
  if (m->corr == NULL) { /* the reference eval reads the shared data */
    node->data = m->d;
    const tfm_status s = tfm_fully_connected_eval_reference(ctx, node);
    node->data = m;
    return s;
  }
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
