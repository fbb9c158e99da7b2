/* arm-dsp ADD: replaces kernels/reference/add.c in kernel set "arm-dsp".
 *
 * Prepare and every case but int8 with equal shapes are the shared ones of
 * common/add.h. int8 runs here, bit-exact with TFLite's three rescales:
 *  - each input v = x + offset (|v| <= 255) is shifted left by 20 and rescaled
 *    by its multiplier m (shift <= 0): SaturatingRoundingDoublingHighMul
 *    (v * 2^20, m) = floor((v*m + 2^10) / 2^11) (the doubling high mul is a
 *    floor of (ab + 2^30) / 2^31 when it does not saturate: internal/rq.h),
 *    computed in 32 bits as v*m_hi + floor((v*m_lo + 2^10) / 2^11) with
 *    m = m_hi * 2^11 + m_lo (|v * m_hi| < 2^28); then RoundingDivideByPOT by
 *    r = -shift as floor((h + 2^(r-1) - [h < 0]) / 2^r), which cannot overflow
 *    for |h| < 2^28;
 *  - the sum is rescaled by the output multiplier with dsp_rqf.h's fast form
 *    when its shift qualifies, TFLite's general one otherwise. */
#include "arm_dsp.h"
#include "dsp_add.h"
#include "common/add.h"
#include "common/binary_common.h"
#include "common/ops.h"
#include "tfm/kernels.h"

static inline __attribute__((always_inline)) void dsp_add_body(
    const int8_t *a, const int8_t *b, int8_t *y, int32_t n, dsp_add_in q1, dsp_add_in q2,
    int32_t m, int32_t sh, int32_t khi, int32_t lo, int32_t hi, const bool full) {
  for (int32_t i = 0; i < n; ++i) {
    const int32_t raw = (int32_t)((uint32_t)dsp_add_scale(&q1, a[i]) +
                                  (uint32_t)dsp_add_scale(&q2, b[i]));
    const int32_t v = dsp_rqf_apply(raw, m, sh, khi);
    y[i] = full ? (int8_t)__ssat(v, 8) : (int8_t)(v < lo ? lo : (v > hi ? hi : v));
  }
}

static TFM_DSP_HOT void dsp_add_s8(const tfm_binary_data *d, const int8_t *a, const int8_t *b,
                                   int8_t *y, const dsp_add_in *q1, const dsp_add_in *q2) {
  const int32_t n = d->bc.count;
  if (dsp_rqf_ok(d->out_multiplier, d->out_shift)) {
    const int32_t sh = dsp_rqf_sh(d->out_shift);
    const int32_t khi = dsp_rqf_khi(d->out_shift, d->out_offset);
    if (dsp_full_range(d->act_min, d->act_max)) {
      dsp_add_body(a, b, y, n, *q1, *q2, d->out_multiplier, sh, khi, -128, 127, true);
    } else {
      dsp_add_body(a, b, y, n, *q1, *q2, d->out_multiplier, sh, khi, d->act_min, d->act_max,
                   false);
    }
    return;
  }
  const dsp_rq r = dsp_rq_make(d->out_multiplier, d->out_shift);
  for (int32_t i = 0; i < n; ++i) {
    const int32_t raw = (int32_t)((uint32_t)dsp_add_scale(q1, a[i]) +
                                  (uint32_t)dsp_add_scale(q2, b[i]));
    y[i] = dsp_rq_out(r, raw, d->out_offset, d->act_min, d->act_max, false);
  }
}

static tfm_status dsp_add_eval(tfm_context *ctx, tfm_node *node) {
  const tfm_binary_data *d = (const tfm_binary_data *)node->data;
  const tfm_tensor *in1 = tfm_input(ctx, node, 0);
  const tfm_tensor *in2 = tfm_input(ctx, node, 1);
  tfm_tensor *out = tfm_output(ctx, node, 0);
  dsp_add_in q1, q2;
  if (out->type != TFM_INT8 || d->bc.broadcast || d->left_shift != 20 ||
      !dsp_add_in_make(d->in1_offset, d->in1_multiplier, d->in1_shift, &q1) ||
      !dsp_add_in_make(d->in2_offset, d->in2_multiplier, d->in2_shift, &q2)) {
    return tfm_add_eval_reference(ctx, node);
  }
  dsp_add_s8(d, (const int8_t *)in1->data, (const int8_t *)in2->data, (int8_t *)out->data, &q1,
             &q2);
  return TFM_OK;
}

const tfm_kernel *tfm_register_add(void) {
  static const tfm_kernel kernel = TFM_BUILTIN_KERNEL(ADD, tfm_add_prepare, dsp_add_eval);
  return &kernel;
}
