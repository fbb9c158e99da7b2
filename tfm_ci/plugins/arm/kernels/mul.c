/* arm-dsp MUL: replaces kernels/reference/mul.c in kernel set "arm-dsp".
 * Prepare and every case but int8 with equal shapes are the shared ones of
 * common/mul.h. int8 runs here: (x1 + offset1) * (x2 + offset2) (exact in 32
 * bits), TFLite's rescale (dsp_rqf.h's fast form when the output shift
 * qualifies, the general one otherwise), the output offset and the clamp. */
#include "arm_dsp.h"
#include "common/mul.h"
#include "common/ops.h"
#include "tfm/kernels.h"

static inline __attribute__((always_inline)) void dsp_mul_body(
    const int8_t *a, const int8_t *b, int8_t *y, int32_t n, int32_t o1, int32_t o2, int32_t m,
    int32_t sh, int32_t khi, int32_t lo, int32_t hi, const bool full) {
  for (int32_t i = 0; i < n; ++i) {
    const int32_t v = dsp_rqf_apply((a[i] + o1) * (b[i] + o2), m, sh, khi);
    y[i] = full ? (int8_t)__ssat(v, 8) : (int8_t)(v < lo ? lo : (v > hi ? hi : v));
  }
}

static TFM_DSP_HOT void dsp_mul_s8(const TfmMulData *d, const int8_t *a, const int8_t *b,
                                   int8_t *y) {
  const int32_t n = d->bc.count, o1 = d->in1_offset, o2 = d->in2_offset;
  if (dsp_rqf_ok(d->out_multiplier, d->out_shift)) {
    const int32_t sh = dsp_rqf_sh(d->out_shift);
    const int32_t khi = dsp_rqf_khi(d->out_shift, d->out_offset);
    if (dsp_full_range(d->act_min, d->act_max)) {
      dsp_mul_body(a, b, y, n, o1, o2, d->out_multiplier, sh, khi, -128, 127, true);
    } else {
      dsp_mul_body(a, b, y, n, o1, o2, d->out_multiplier, sh, khi, d->act_min, d->act_max,
                   false);
    }
    return;
  }
  const dsp_rq r = dsp_rq_make(d->out_multiplier, d->out_shift);
  for (int32_t i = 0; i < n; ++i) {
    y[i] = dsp_rq_out(r, (a[i] + o1) * (b[i] + o2), d->out_offset, d->act_min, d->act_max,
                      false);
  }
}

static tfm_status dsp_mul_eval(tfm_context *ctx, tfm_node *node) {
  const TfmMulData *d = (const TfmMulData *)node->data;
  const tfm_tensor *in1 = tfm_input(ctx, node, 0);
  const tfm_tensor *in2 = tfm_input(ctx, node, 1);
  tfm_tensor *out = tfm_output(ctx, node, 0);
  if (out->type != TFM_INT8 || d->bc.broadcast) return tfm_mul_eval_reference(ctx, node);
  dsp_mul_s8(d, (const int8_t *)in1->data, (const int8_t *)in2->data, (int8_t *)out->data);
  return TFM_OK;
}

const tfm_kernel *tfm_register_mul(void) {
  static const tfm_kernel kernel = TFM_BUILTIN_KERNEL(MUL, tfm_mul_prepare, dsp_mul_eval);
  return &kernel;
}
