/* arm-mve MUL: replaces kernels/reference/mul.c in kernel set "arm-mve".
 * Prepare and the float32 / int16 / int32 / general-broadcast evals are the
 * shared ones of common/mul.h; int8 runs on MVE (mve_binary.h). */
#include "common/mul.h"
#include "common/ops.h"
#include "mve_binary.h"
#include "tfm/kernels.h"

static MVE_NOINLINE void mve_mul_s8(const tfm_binary_data *d, const int8_t *a, bool one1,
                                    const int8_t *b, bool one2, int8_t *y) {
  const mve_rq1 qo = mve_rq1_make(d->out_multiplier, d->out_shift);
  const int32x4_t lo = vdupq_n_s32(d->act_min), hi = vdupq_n_s32(d->act_max);
  const int32_t n = d->bc.count;
  for (int32_t i = 0; i < n; i += 4) {
    const mve_pred16_t p = n - i >= 4 ? 0xFFFF : vctp32q((uint32_t)(n - i));
    const int32x4_t x1 = vaddq_n_s32(mve_load4(a, i, one1, p), d->in1_offset);
    const int32x4_t x2 = vaddq_n_s32(mve_load4(b, i, one2, p), d->in2_offset);
    const int32x4_t r = vaddq_n_s32(mve_rq1_apply(&qo, vmulq_s32(x1, x2)), d->out_offset);
    vstrbq_p_s32(y + i, vminq_s32(vmaxq_s32(r, lo), hi), p);
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
