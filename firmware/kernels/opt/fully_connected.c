/* "opt" FULLY_CONNECTED: replaces kernels/reference/fully_connected.c in
 * kernel set "opt".
 *
 * Prepare and the int16 / asymmetric-weights paths are the shared ones of
 * common/fully_connected.h. int8 with symmetric weights (TFLite's int8 spec)
 * runs here, one input row (batch) at a time, four units per pass over the
 * input (each input value loaded once for four weights).
 *
 * Constant weights (the usual case) have the input offset folded into a
 * per-unit start value base[u] = bias[u] + input_offset * sum_j w[u][j]
 * (mod 2^32, so equal to the reference's wrapping sum: opt_gemm.h), so the
 * inner loop multiplies raw int8 values. base comes from the image's
 * offline prep record (TFM_OFFLINE_KIND_FC_S8, in flash, with the
 * multipliers and shifts: no arena, no prepare work) or is computed here
 * into the arena; with the W4_S8 record the weights are read interleaved by
 * 4 units (one pointer). The rescale is the reference's single-rounding one
 * (LiteRT's FULLY_CONNECTED) in a form with one high multiply (fc_store).
 *
 * float32 with constant finite weights: block floating point (opt_float.h),
 * weights from the F32_BFP record or converted per invoke; non-finite
 * inputs and everything else take the reference eval. */
#include "common/fully_connected.h"
#include "common/ops.h"
#include "internal/quant.h"
#include "opt_float.h"
#include "opt_gemm.h"
#include "tfm/kernels.h"

/* Record layout (tfm/kernel.h): units, channels, base[units], multiplier[channels],
 * shift[channels]. */
enum { REC_HEAD = 2 };

/* What eval uses besides TfmFullyConnectedData (node->data's kernel_data). */
typedef struct opt_fc_plan {  /* int8 */
  const int32_t *base; /* folded start values, per unit */
  const int8_t *w4;    /* weights interleaved by 4 units (W4_S8 record), or NULL */
} opt_fc_plan;

typedef struct opt_fc_fplan { /* float32 */
  const int32_t *bfp;  /* F32_BFP record rows (exponent, mantissas), or NULL */
  int scratch;         /* block-float input row (+ a weights row without bfp) */
} opt_fc_fplan;

#if defined(__riscv) || defined(__x86_64__) || defined(__aarch64__)
#define FC_UNROLL 2 /* 31 registers: two depth steps per pass */
#else
#define FC_UNROLL 1 /* Thumb: one step, multiply-accumulates (mla) in place */
#endif

static bool fc_fast_types(const tfm_tensor *in, const tfm_tensor *w) {
  return in->type == TFM_INT8 && w->type == TFM_INT8;
}

static bool fc_constant(const tfm_tensor *w, const tfm_tensor *bias) {
  return (w->flags & TFM_TENSOR_CONSTANT) && (!bias || (bias->flags & TFM_TENSOR_CONSTANT));
}

static tfm_status fc_base(tfm_context *ctx, TfmFullyConnectedData *d, const int8_t *w,
                          const int32_t *bias) {
  void *p = NULL;
  TFM_TRY(tfm_alloc_persistent(ctx, (size_t)d->units * sizeof(int32_t), &p));
  uint32_t *base = (uint32_t *)p;
  for (int32_t u = 0; u < d->units; ++u, w += d->depth) {
    uint32_t sum = 0;
    for (int32_t j = 0; j < d->depth; ++j) sum += (uint32_t)(int32_t)w[j];
    base[u] = (bias ? (uint32_t)bias[u] : 0u) + sum * (uint32_t)d->input_offset;
  }
  TFM_TRY(tfm_alloc_persistent(ctx, sizeof(opt_fc_plan), &p));
  opt_fc_plan *plan = (opt_fc_plan *)p;
  plan->base = (const int32_t *)base;
  d->kernel_data = plan;
  return TFM_OK;
}

/* The W4_S8 record of the node, when the image has one of the right size. */
static tfm_status fc_w4(tfm_context *ctx, const tfm_node *node, const TfmFullyConnectedData *d,
                        const int8_t **w4) {
  const void *rec = NULL;
  uint32_t size = 0;
  TFM_TRY(tfm_offline_data(ctx, node, TFM_OFFLINE_KIND_W4_S8, &rec, &size));
  if (rec != NULL && size != (uint32_t)(d->units * d->depth)) {
    return tfm_fail(ctx, TFM_BAD_MODEL, "offline W4 record of %lu B, node has %ld weights",
                    (unsigned long)size, (long)(d->units * d->depth));
  }
  *w4 = (const int8_t *)rec;
  return TFM_OK;
}

/* Float32 with constant, finite weights: block floating point (opt_float.h), with
 * the weights' F32_BFP record when the image has one. */
static tfm_status fc_float_plan(tfm_context *ctx, tfm_node *node, TfmFullyConnectedData *d,
                                const tfm_tensor *w) {
  if (d->depth > OPT_BFP_MAX_DEPTH) return TFM_OK;
  const void *rec = NULL;
  uint32_t size = 0;
  TFM_TRY(tfm_offline_data(ctx, node, TFM_OFFLINE_KIND_F32_BFP, &rec, &size));
  if (rec != NULL) {
    const int32_t *r = (const int32_t *)rec;
    if (size != (uint32_t)(2 + d->units * (1 + d->depth)) * 4u || r[0] != d->units ||
        r[1] != d->depth) {
      return tfm_fail(ctx, TFM_BAD_MODEL, "offline F32_BFP record of %lu B does not fit the "
                      "node (%ld units, depth %ld)", (unsigned long)size, (long)d->units,
                      (long)d->depth);
    }
  } else {
    int32_t e;
    if (!opt_bfp_exponent((const float *)w->data, d->units * d->depth, &e)) return TFM_OK;
  }
  void *p = NULL;
  TFM_TRY(tfm_alloc_persistent(ctx, sizeof(opt_fc_fplan), &p));
  opt_fc_fplan *plan = (opt_fc_fplan *)p;
  plan->bfp = rec ? (const int32_t *)rec + 2 : NULL;
  const size_t row = (size_t)d->depth * sizeof(int32_t);
  TFM_TRY(tfm_request_scratch(ctx, rec ? row : 2 * row, &plan->scratch));
  d->kernel_data = plan;
  return TFM_OK;
}

static tfm_status opt_fc_prepare(tfm_context *ctx, tfm_node *node) {
  const tfm_tensor *in = tfm_input(ctx, node, 0);
  const tfm_tensor *w = tfm_input(ctx, node, 1);
  const tfm_tensor *bias = node->num_inputs == 3 ? tfm_input(ctx, node, 2) : NULL;
  const void *rec = NULL;
  uint32_t size = 0;
  if (in && w && fc_fast_types(in, w) && fc_constant(w, bias)) {
    TFM_TRY(tfm_offline_data(ctx, node, TFM_OFFLINE_KIND_FC_S8, &rec, &size));
  }
  if (rec == NULL) {
    TFM_TRY(tfm_fully_connected_prepare(ctx, node));
    TfmFullyConnectedData *d = (TfmFullyConnectedData *)node->data;
    if (OPT_BFP_ENABLED && in->type == TFM_FLOAT32 && fc_constant(w, bias)) {
      return fc_float_plan(ctx, node, d, w);
    }
    if (!fc_fast_types(in, w) || d->weights_offset != 0 || !fc_constant(w, bias)) return TFM_OK;
    return fc_base(ctx, d, (const int8_t *)w->data, bias ? (const int32_t *)bias->data : NULL);
  }
  const int32_t *r = (const int32_t *)rec;
  const int32_t units = r[0], channels = r[1];
  if (size < REC_HEAD * 4u || units < 1 || channels < 1 ||
      size != (uint32_t)(REC_HEAD + units + 2 * channels) * 4u) {
    return tfm_fail(ctx, TFM_BAD_MODEL, "offline FC record of %lu B is malformed",
                    (unsigned long)size);
  }
  const int32_t *mult = r + REC_HEAD + units;
  TFM_TRY(tfm_fully_connected_prepare_with(ctx, node, mult, mult + channels));
  TfmFullyConnectedData *d = (TfmFullyConnectedData *)node->data;
  if (d->units != units || d->channels != channels || d->weights_offset != 0) {
    return tfm_fail(ctx, TFM_BAD_MODEL, "offline FC record (%ld units, %ld channels) does not "
                    "fit the node (%ld units, %ld channels, weights offset %ld)", (long)units,
                    (long)channels, (long)d->units, (long)d->channels,
                    (long)d->weights_offset);
  }
  void *p = NULL;
  TFM_TRY(tfm_alloc_persistent(ctx, sizeof(opt_fc_plan), &p));
  opt_fc_plan *plan = (opt_fc_plan *)p;
  plan->base = r + REC_HEAD;
  TFM_TRY(fc_w4(ctx, node, d, &plan->w4));
  d->kernel_data = plan;
  return TFM_OK;
}

/* acc[u] = init[u] (0 when init is NULL) + sum_j w_u[j] * (x[j] + offset) for
 * the units u < n4 (a multiple of 4; rows of `depth` from w), four rows per
 * pass over x with the depth unrolled by 2. offset 0 (folded into init) skips
 * the add. One call per row of units: the saved registers are paid once. */
static TFM_OPT_HOT void fc_dot4(const int8_t *x, const int8_t *w, int32_t depth, int32_t offset,
                                const int32_t *init, int32_t n4, uint32_t *acc) {
  for (int32_t u = 0; u < n4; u += 4, w += 4 * depth) {
    const int8_t *w0 = w, *w1 = w + depth, *w2 = w1 + depth, *w3 = w2 + depth;
    uint32_t s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    if (init) s0 = (uint32_t)init[u], s1 = (uint32_t)init[u + 1], s2 = (uint32_t)init[u + 2],
              s3 = (uint32_t)init[u + 3];
    int32_t j = 0;
    for (; FC_UNROLL == 2 && j + 2 <= depth; j += 2) {
      const int32_t xa = x[j] + offset, xb = x[j + 1] + offset;
      s0 += (uint32_t)(w0[j] * xa + w0[j + 1] * xb);
      s1 += (uint32_t)(w1[j] * xa + w1[j + 1] * xb);
      s2 += (uint32_t)(w2[j] * xa + w2[j + 1] * xb);
      s3 += (uint32_t)(w3[j] * xa + w3[j + 1] * xb);
    }
    for (; j < depth; ++j) {
      const int32_t xv = x[j] + offset;
      s0 += (uint32_t)(w0[j] * xv);
      s1 += (uint32_t)(w1[j] * xv);
      s2 += (uint32_t)(w2[j] * xv);
      s3 += (uint32_t)(w3[j] * xv);
    }
    acc[u] = s0, acc[u + 1] = s1, acc[u + 2] = s2, acc[u + 3] = s3;
  }
}

/* As fc_dot4 with folded start values and the weights of each group of 4 units
 * interleaved (w4: w[4g][j], w[4g+1][j], w[4g+2][j], w[4g+3][j], j = 0..): one
 * weights pointer walks all groups, 4 bytes per depth step. */
static TFM_OPT_HOT void fc_dot4_w4(const int8_t *x, const int8_t *w4, int32_t depth,
                                   const int32_t *init, int32_t n4, uint32_t *acc) {
  const int8_t *end = x + depth;
  for (int32_t u = 0; u < n4; u += 4) {
    uint32_t s0 = (uint32_t)init[u], s1 = (uint32_t)init[u + 1], s2 = (uint32_t)init[u + 2],
             s3 = (uint32_t)init[u + 3];
    const int8_t *xp = x;
    for (; FC_UNROLL == 2 && xp + 2 <= end; xp += 2, w4 += 8) {
      const int32_t xa = xp[0], xb = xp[1];
      s0 += (uint32_t)(w4[0] * xa + w4[4] * xb);
      s1 += (uint32_t)(w4[1] * xa + w4[5] * xb);
      s2 += (uint32_t)(w4[2] * xa + w4[6] * xb);
      s3 += (uint32_t)(w4[3] * xa + w4[7] * xb);
    }
    for (; xp < end; ++xp, w4 += 4) {
      const int32_t xv = *xp;
      s0 += (uint32_t)(w4[0] * xv);
      s1 += (uint32_t)(w4[1] * xv);
      s2 += (uint32_t)(w4[2] * xv);
      s3 += (uint32_t)(w4[3] * xv);
    }
    acc[u] = s0, acc[u + 1] = s1, acc[u + 2] = s2, acc[u + 3] = s3;
  }
}

static uint32_t fc_dot1(const int8_t *x, const int8_t *w, int32_t depth, int32_t offset,
                        uint32_t acc) {
  for (int32_t j = 0; j < depth; ++j) acc += (uint32_t)(w[j] * (x[j] + offset));
  return acc;
}

/* Stores n outputs of units u0.. from their accumulators:
 * tfm_multiply_by_quantized_multiplier_single(acc, m, shift) + offset, clamped.
 * That is (x*m + 2^(t-1)) >> t with t = 31 - shift; for t >= 33 the rounding
 * bit lies in the high word, so with x*m = hi * 2^32 + lo the result is
 * floor((hi + 2^(t-33)) / 2^(t-32)) exactly (a floor of a floor quotient): one
 * high multiply, an add and a shift, no 64-bit shift. |hi| < 2^30 and t <= 62
 * (shift >= -31), so the add cannot overflow. Parameters stay in registers. */
static TFM_OPT_HOT void fc_store(const TfmFullyConnectedData *d, int32_t u0, int32_t n,
                                 const uint32_t *acc, int8_t *out) {
  const int32_t off = d->output_offset, lo = d->act_min, hi = d->act_max;
  if (d->channels == 1 && d->shift[0] <= -2) { /* per-tensor, t >= 33: all hoisted */
    const int32_t m = d->multiplier[0], sh = d->shift[0];
    const int32_t round = (int32_t)(1u << (-sh - 2)), right = -sh - 1; /* t - 33, t - 32 */
    for (int32_t i = 0; i < n; ++i) {
      const int32_t high = (int32_t)(((int64_t)tfm_wrap_i32(acc[i]) * (int64_t)m) >> 32);
      const int32_t v = tfm_add_wrap_i32((high + round) >> right, off);
      out[i] = (int8_t)(v < lo ? lo : (v > hi ? hi : v));
    }
    return;
  }
  const int32_t step = d->channels > 1 ? 1 : 0;
  const int32_t *m = d->multiplier + u0 * step, *sh = d->shift + u0 * step;
  for (int32_t i = 0; i < n; ++i, m += step, sh += step) {
    const int32_t x = tfm_wrap_i32(acc[i]);
    const int32_t t = 31 - *sh;
    int32_t v;
    if (t >= 33) {
      const int32_t high = (int32_t)(((int64_t)x * (int64_t)*m) >> 32);
      v = (high + (int32_t)(1u << (t - 33))) >> (t - 32);
    } else {
      v = tfm_multiply_by_quantized_multiplier_single(x, *m, *sh);
    }
    v = tfm_add_wrap_i32(v, off);
    out[i] = (int8_t)(v < lo ? lo : (v > hi ? hi : v));
  }
}

enum { FC_CHUNK = 32 }; /* units per rescale pass (128 B of stack) */

/* init: folded start values (offset 0 then), else the bias (may be NULL) with the
 * offset added to each input. Rows of up to FC_CHUNK units: dot products, then one
 * rescale pass. Each product is exact in int32 (|w| <= 128, |x + offset| <= 255)
 * and two of them fit easily, so the pairwise sums wrap exactly as the reference. */
static void opt_fc_s8(const TfmFullyConnectedData *d, const int8_t *in, const int8_t *w,
                      const int8_t *w4, const int32_t *init, int32_t offset, int8_t *out) {
  const int32_t depth = d->depth, units = d->units;
  uint32_t acc[FC_CHUNK];
  for (int32_t b = 0; b < d->batches; ++b, in += depth, out += units) {
    for (int32_t u0 = 0; u0 < units; u0 += FC_CHUNK) {
      const int32_t n = units - u0 < FC_CHUNK ? units - u0 : FC_CHUNK;
      const int8_t *wu = w + u0 * depth;
      const int32_t *iu = init ? init + u0 : NULL;
      int32_t u = n - n % 4;
      if (w4) {
        fc_dot4_w4(in, w4 + u0 * depth, depth, iu, u, acc);
      } else {
        fc_dot4(in, wu, depth, offset, iu, u, acc);
      }
      for (; u < n; ++u) {
        acc[u] = fc_dot1(in, wu + u * depth, depth, offset, iu ? (uint32_t)iu[u] : 0u);
      }
      fc_store(d, u0, n, acc, out + u0);
    }
  }
}

/* Float32: each input row in block floating point once, then per unit an exact int64
 * dot product with the unit's block-float weights, one rounding, + bias (float add,
 * as the reference), activation clamp. false: a non-finite input (reference path). */
static bool opt_fc_f32(tfm_context *ctx, const TfmFullyConnectedData *d, const float *in,
                       const float *w, const float *bias, float *out) {
  const opt_fc_fplan *plan = (const opt_fc_fplan *)d->kernel_data;
  const int32_t depth = d->depth;
  int32_t *xm = (int32_t *)tfm_scratch(ctx, plan->scratch);
  int32_t *wm = xm + depth; /* without a record: one converted weights row */
  const int32_t lo_key = opt_float_key(d->act_min_f), hi_key = opt_float_key(d->act_max_f);
  for (int32_t b = 0; b < d->batches; ++b, in += depth) {
    int32_t ex;
    if (!opt_bfp_exponent(in, depth, &ex)) return false;
    opt_bfp_convert(in, depth, ex, xm);
    const int32_t *row = plan->bfp;
    for (int32_t u = 0; u < d->units; ++u) {
      int32_t ew;
      const int32_t *m;
      if (row) {
        ew = row[0], m = row + 1, row += 1 + depth;
      } else {
        (void)opt_bfp_exponent(w + u * depth, depth, &ew); /* finite: prepare checked */
        opt_bfp_convert(w + u * depth, depth, ew, wm);
        m = wm;
      }
      const float total = opt_bfp_float(opt_bfp_dot(xm, m, depth), ex + ew);
      *out++ = opt_clamp_f32(total + (bias ? bias[u] : 0.0f), lo_key, d->act_min_f, hi_key,
                             d->act_max_f);
    }
  }
  return true;
}

static void opt_fc_eval_s8(tfm_context *ctx, tfm_node *node, const TfmFullyConnectedData *d,
                           const tfm_tensor *in) {
  const tfm_tensor *w = tfm_input(ctx, node, 1);
  tfm_tensor *out = tfm_output(ctx, node, 0);
  const opt_fc_plan *plan = (const opt_fc_plan *)d->kernel_data;
  if (plan) {
    opt_fc_s8(d, (const int8_t *)in->data, (const int8_t *)w->data, plan->w4, plan->base, 0,
              (int8_t *)out->data);
    return;
  }
  const tfm_tensor *bias = node->num_inputs == 3 ? tfm_input(ctx, node, 2) : NULL;
  opt_fc_s8(d, (const int8_t *)in->data, (const int8_t *)w->data, NULL,
            bias ? (const int32_t *)bias->data : NULL, d->input_offset, (int8_t *)out->data);
}

static TFM_OPT_HOT bool opt_fc_eval_f32(tfm_context *ctx, tfm_node *node,
                                        const TfmFullyConnectedData *d, const tfm_tensor *in) {
  const tfm_tensor *w = tfm_input(ctx, node, 1);
  const tfm_tensor *bias = node->num_inputs == 3 ? tfm_input(ctx, node, 2) : NULL;
  return opt_fc_f32(ctx, d, (const float *)in->data, (const float *)w->data,
                    bias ? (const float *)bias->data : NULL,
                    (float *)tfm_output(ctx, node, 0)->data);
}

static tfm_status opt_fc_eval(tfm_context *ctx, tfm_node *node) {
  const TfmFullyConnectedData *d = (const TfmFullyConnectedData *)node->data;
  const tfm_tensor *in = tfm_input(ctx, node, 0);
  if (in->type == TFM_INT8 && d->weights_offset == 0) {
    opt_fc_eval_s8(ctx, node, d, in);
    return TFM_OK;
  }
  if (in->type == TFM_FLOAT32 && d->kernel_data != NULL && opt_fc_eval_f32(ctx, node, d, in)) {
    return TFM_OK;
  }
  return tfm_fully_connected_eval_reference(ctx, node);
}

const tfm_kernel *tfm_register_fully_connected(void) {
  static const tfm_kernel kernel =
      TFM_BUILTIN_KERNEL(FULLY_CONNECTED, opt_fc_prepare, opt_fc_eval);
  return &kernel;
}
