/* arm-mve MUL: replaces kernels/reference/mul.c in kernel set "arm-mve".
 * Prepare and the float32 / int16 / int32 / general-broadcast evals are the
 * shared ones of common/mul.h; int8 runs on MVE (mve_binary.h). */
#include "common/mul.h"
#include "common/ops.h"
#include "mve_binary.h"
#include "tfm/kernels.h"

static inline __attribute__((always_inline)) int32x4_t mve_mul4(
    const int8_t *a, bool one1, const int8_t *b, bool one2, int32_t i, mve_pred16_t p,
    bool tail, int32_t off1, int32_t off2, const mve_rq1 *qo, int32_t out_off, int32x4_t lo,
    int32x4_t hi) {
  const int32x4_t v1 = one1 ? vdupq_n_s32(a[0]) : (tail ? vldrbq_z_s32(a + i, p) : vldrbq_s32(a + i));
  const int32x4_t v2 = one2 ? vdupq_n_s32(b[0]) : (tail ? vldrbq_z_s32(b + i, p) : vldrbq_s32(b + i));
  const int32x4_t prod = vmulq_s32(vaddq_n_s32(v1, off1), vaddq_n_s32(v2, off2));
  const int32x4_t r = vaddq_n_s32(mve_rq1_apply(qo, prod), out_off);
  return vminq_s32(vmaxq_s32(r, lo), hi);
}

/* As mve_add_loop (add.c): constant one1 / one2, unpredicated whole vectors. */
static inline __attribute__((always_inline)) void mve_mul_loop(
    const tfm_binary_data *d, const int8_t *a, bool one1, const int8_t *b, bool one2,
    int8_t *y) {
  const mve_rq1 qo = mve_rq1_make(d->out_multiplier, d->out_shift);
  const int32_t off1 = d->in1_offset, off2 = d->in2_offset, out_off = d->out_offset;
  const int32x4_t lo = vdupq_n_s32(d->act_min), hi = vdupq_n_s32(d->act_max);
  const int32_t n = d->bc.count, full = n & ~3;
  for (int32_t i = 0; i < full; i += 4) {
    vstrbq_s32(y + i, mve_mul4(a, one1, b, one2, i, 0, false, off1, off2, &qo, out_off, lo, hi));
  }
  if (full < n) {
    const mve_pred16_t p = vctp32q((uint32_t)(n - full));
    vstrbq_p_s32(y + full, mve_mul4(a, one1, b, one2, full, p, true, off1, off2, &qo, out_off,
                                    lo, hi), p);
  }
}

static MVE_NOINLINE void mve_mul_s8(const tfm_binary_data *d, const int8_t *a, bool one1,
                                    const int8_t *b, bool one2, int8_t *y) {
  if (one1) {
    mve_mul_loop(d, a, true, b, false, y);
  } else if (one2) {
    mve_mul_loop(d, a, false, b, true, y);
  } else {
    mve_mul_loop(d, a, false, b, false, y);
  }
}

static tfm_status mve_mul_eval(tfm_context *ctx, tfm_node *node) {
  const tfm_binary_data *d = (const tfm_binary_data *)node->data;
  const tfm_tensor *a = tfm_input(ctx, node, 0), *b = tfm_input(ctx, node, 1);
  tfm_tensor *o = tfm_output(ctx, node, 0);
  bool one1, one2;
  if (!mve_binary_fast(d, a, b, o, &one1, &one2)) return tfm_mul_eval_reference(ctx, node);
  mve_mul_s8(d, (const int8_t *)a->data, one1, (const int8_t *)b->data, one2,
             (int8_t *)o->data);
  return TFM_OK;
}

const tfm_kernel *tfm_register_mul(void) {
  static const tfm_kernel kernel = TFM_BUILTIN_KERNEL(MUL, tfm_mul_prepare, mve_mul_eval);
  return &kernel;
}
