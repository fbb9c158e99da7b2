/* arm-mve ADD: replaces kernels/reference/add.c in kernel set "arm-mve".
 * Prepare and the float32 / int16 / int32 / general-broadcast evals are the
 * shared ones of common/add.h; int8 runs on MVE (mve_binary.h). */
#include "common/add.h"
#include "common/ops.h"
#include "mve_binary.h"
#include "tfm/kernels.h"

/* Four elements from i (lanes of p only in the tail). */
static inline __attribute__((always_inline)) int32x4_t mve_add4(
    const int8_t *a, bool one1, const int8_t *b, bool one2, int32_t i, mve_pred16_t p,
    bool tail, int32_t off1, int32_t off2, int32_t left, const mve_rq1 *q1, const mve_rq1 *q2,
    const mve_rq1 *qo, int32_t out_off, int32x4_t lo, int32x4_t hi) {
  const int32x4_t v1 = one1 ? vdupq_n_s32(a[0]) : (tail ? vldrbq_z_s32(a + i, p) : vldrbq_s32(a + i));
  const int32x4_t v2 = one2 ? vdupq_n_s32(b[0]) : (tail ? vldrbq_z_s32(b + i, p) : vldrbq_s32(b + i));
  const int32x4_t x1 = vshlq_r_s32(vaddq_n_s32(v1, off1), left);
  const int32x4_t x2 = vshlq_r_s32(vaddq_n_s32(v2, off2), left);
  const int32x4_t raw = vaddq_s32(mve_rq1_apply(q1, x1), mve_rq1_apply(q2, x2));
  const int32x4_t r = vaddq_n_s32(mve_rq1_apply(qo, raw), out_off);
  return vminq_s32(vmaxq_s32(r, lo), hi);
}

/* The loop, for constant one1 / one2 after inlining (no per-element branch):
 * whole vectors unpredicated (GCC 12 spends a VMRS / VMSR pair and a VPST on
 * each predicated load), the last n % 4 under VCTP32. */
static inline __attribute__((always_inline)) void mve_add_loop(
    const tfm_binary_data *d, const int8_t *a, bool one1, const int8_t *b, bool one2,
    int8_t *y) {
  const mve_rq1 q1 = mve_rq1_make(d->in1_multiplier, d->in1_shift);
  const mve_rq1 q2 = mve_rq1_make(d->in2_multiplier, d->in2_shift);
  const mve_rq1 qo = mve_rq1_make(d->out_multiplier, d->out_shift);
  const int32_t left = d->left_shift, off1 = d->in1_offset, off2 = d->in2_offset;
  const int32_t out_off = d->out_offset;
  const int32x4_t lo = vdupq_n_s32(d->act_min), hi = vdupq_n_s32(d->act_max);
  const int32_t n = d->bc.count, full = n & ~3;
  for (int32_t i = 0; i < full; i += 4) {
    vstrbq_s32(y + i, mve_add4(a, one1, b, one2, i, 0, false, off1, off2, left, &q1, &q2, &qo,
                               out_off, lo, hi));
  }
  if (full < n) {
    const mve_pred16_t p = vctp32q((uint32_t)(n - full));
    vstrbq_p_s32(y + full, mve_add4(a, one1, b, one2, full, p, true, off1, off2, left, &q1, &q2,
                                    &qo, out_off, lo, hi), p);
  }
}

static MVE_NOINLINE void mve_add_s8(const tfm_binary_data *d, const int8_t *a, bool one1,
                                    const int8_t *b, bool one2, int8_t *y) {
  if (one1) {
    mve_add_loop(d, a, true, b, false, y);
  } else if (one2) {
    mve_add_loop(d, a, false, b, true, y);
  } else {
    mve_add_loop(d, a, false, b, false, y);
  }
}

static tfm_status mve_add_eval(tfm_context *ctx, tfm_node *node) {
  const tfm_binary_data *d = (const tfm_binary_data *)node->data;
  const tfm_tensor *a = tfm_input(ctx, node, 0), *b = tfm_input(ctx, node, 1);
  tfm_tensor *o = tfm_output(ctx, node, 0);
  bool one1, one2;
  if (!mve_binary_fast(d, a, b, o, &one1, &one2)) return tfm_add_eval_reference(ctx, node);
  mve_add_s8(d, (const int8_t *)a->data, one1, (const int8_t *)b->data, one2,
             (int8_t *)o->data);
  return TFM_OK;
}

const tfm_kernel *tfm_register_add(void) {
  static const tfm_kernel kernel = TFM_BUILTIN_KERNEL(ADD, tfm_add_prepare, mve_add_eval);
  return &kernel;
}
