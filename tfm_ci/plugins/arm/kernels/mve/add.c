/* arm-mve ADD: replaces kernels/reference/add.c in kernel set "arm-mve".
 * Prepare and the float32 / int16 / int32 / general-broadcast evals are the
 * shared ones of common/add.h; int8 runs on MVE (mve_binary.h). */
#include "common/add.h"
#include "common/ops.h"
#include "mve_binary.h"
#include "tfm/kernels.h"

/* Per-node constants of the loop. */
typedef struct mve_add_consts {
  mve_rq1 q1, q2, qo;
  int32x4_t scale;      /* 2^left_shift in every lane */
  int32_t off1, off2;   /* input offsets << left_shift */
  int32_t out_off;
  int32x4_t lo, hi;
} mve_add_consts;

/* How a constant rescale is applied: any shift, shift < 0 (no left shift, the
 * fix-up on every lane), or shift == 0 (VQRDMULH alone: nothing to round). */
enum { MVE_ANY, MVE_RIGHT, MVE_ZERO };

static inline __attribute__((always_inline)) int32x4_t mve_add_rq(const mve_rq1 *q,
                                                                   int32x4_t x, int mode) {
  if (mode == MVE_ZERO) return vqrdmulhq_n_s32(x, q->mult);
  return mode == MVE_RIGHT ? mve_rq1_apply_right(q, x) : mve_rq1_apply(q, x);
}

static int mve_add_mode(int32_t shift) {
  return shift < 0 ? MVE_RIGHT : (shift == 0 ? MVE_ZERO : MVE_ANY);
}

/* Four elements from i (lanes of p only in the tail). (in + offset) << left
 * is one VMLAS: in * 2^left + (offset << left), wrapping as the reference's
 * shift. The modes are constants after inlining. */
static inline __attribute__((always_inline)) int32x4_t mve_add4(
    const int8_t *a, bool one1, const int8_t *b, bool one2, int32_t i, mve_pred16_t p,
    bool tail, const mve_add_consts *k, int m1, int m2, int mo) {
  const int32x4_t v1 = one1 ? vdupq_n_s32(a[0]) : (tail ? vldrbq_z_s32(a + i, p) : vldrbq_s32(a + i));
  const int32x4_t v2 = one2 ? vdupq_n_s32(b[0]) : (tail ? vldrbq_z_s32(b + i, p) : vldrbq_s32(b + i));
  const int32x4_t x1 = vmlasq_n_s32(v1, k->scale, k->off1);
  const int32x4_t x2 = vmlasq_n_s32(v2, k->scale, k->off2);
  const int32x4_t raw = vaddq_s32(mve_add_rq(&k->q1, x1, m1), mve_add_rq(&k->q2, x2, m2));
  const int32x4_t o = mve_add_rq(&k->qo, raw, mo);
  return vminq_s32(vmaxq_s32(vaddq_n_s32(o, k->out_off), k->lo), k->hi);
}

/* The loop, for constant one1 / one2 / modes after inlining (no per-element
 * branch): whole vectors unpredicated (GCC 12 spends a VMRS / VMSR pair and a
 * VPST on each predicated load), the last n % 4 under VCTP32. */
static inline __attribute__((always_inline)) void mve_add_loop(
    const tfm_binary_data *d, const mve_add_consts *k, const int8_t *a, bool one1,
    const int8_t *b, bool one2, int8_t *y, int m1, int m2, int mo) {
  const int32_t n = d->bc.count, full = n & ~3;
  for (int32_t i = 0; i < full; i += 4) {
    vstrbq_s32(y + i, mve_add4(a, one1, b, one2, i, 0, false, k, m1, m2, mo));
  }
  if (full < n) {
    const mve_pred16_t p = vctp32q((uint32_t)(n - full));
    vstrbq_p_s32(y + full, mve_add4(a, one1, b, one2, full, p, true, k, m1, m2, mo), p);
  }
}

static MVE_NOINLINE void mve_add_s8(const tfm_binary_data *d, const int8_t *a, bool one1,
                                    const int8_t *b, bool one2, int8_t *y) {
  mve_add_consts k;
  k.q1 = mve_rq1_make(d->in1_multiplier, d->in1_shift);
  k.q2 = mve_rq1_make(d->in2_multiplier, d->in2_shift);
  k.qo = mve_rq1_make(d->out_multiplier, d->out_shift);
  k.scale = vdupq_n_s32((int32_t)(1u << d->left_shift));
  k.off1 = (int32_t)((uint32_t)d->in1_offset << d->left_shift);
  k.off2 = (int32_t)((uint32_t)d->in2_offset << d->left_shift);
  k.out_off = d->out_offset;
  k.lo = vdupq_n_s32(d->act_min);
  k.hi = vdupq_n_s32(d->act_max);
  const int m1 = mve_add_mode(d->in1_shift), m2 = mve_add_mode(d->in2_shift);
  /* equal shapes with the usual shifts (inputs at most 0, output right):
   * specialised loops; everything else the general one */
  if (!one1 && !one2 && m1 != MVE_ANY && m2 != MVE_ANY && d->out_shift < 0) {
    if (m1 == MVE_RIGHT && m2 == MVE_RIGHT) {
      mve_add_loop(d, &k, a, false, b, false, y, MVE_RIGHT, MVE_RIGHT, MVE_RIGHT);
    } else if (m1 == MVE_RIGHT) {
      mve_add_loop(d, &k, a, false, b, false, y, MVE_RIGHT, MVE_ZERO, MVE_RIGHT);
    } else if (m2 == MVE_RIGHT) {
      mve_add_loop(d, &k, a, false, b, false, y, MVE_ZERO, MVE_RIGHT, MVE_RIGHT);
    } else {
      mve_add_loop(d, &k, a, false, b, false, y, MVE_ZERO, MVE_ZERO, MVE_RIGHT);
    }
  } else if (one1) {
    mve_add_loop(d, &k, a, true, b, false, y, MVE_ANY, MVE_ANY, MVE_ANY);
  } else if (one2) {
    mve_add_loop(d, &k, a, false, b, true, y, MVE_ANY, MVE_ANY, MVE_ANY);
  } else {
    mve_add_loop(d, &k, a, false, b, false, y, MVE_ANY, MVE_ANY, MVE_ANY);
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
