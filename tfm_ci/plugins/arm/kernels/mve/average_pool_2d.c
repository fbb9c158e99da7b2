/* arm-mve AVERAGE_POOL_2D: replaces kernels/reference/average_pool_2d.c in
 * kernel set "arm-mve". Prepare and the float32 / int16 evals are the shared
 * ones of common/average_pool_2d.h. int8 with windows of at most 256 taps runs
 * here, 8 channels per vector: every tap is VLDRB.S16 + VADD.I16 (256 * -128 =
 * -32768 and 256 * 127 fit an int16 lane: the sums are exact), then TFLite's
 * division rounding half away from zero, in two int32x4 halves (VMOVLB /
 * VMOVLT): q = floor((|s| + n / 2) / n) as the high half of (|s| + n / 2) *
 * ceil(2^32 / n) (exact: the dividend is < 2^16 and n <= 256, so the error of
 * the reciprocal stays below 1 / n), the sign put back, the activation clamp,
 * narrowed back (VMOVNB / VMOVNT) and stored as bytes. The channel tail runs
 * under a VCTP16 predicate. */
#include "common/average_pool_2d.h"
#include "common/ops.h"
#include "mve_rq.h"
#include "tfm/kernels.h"

/* sign(s) * floor((|s| + n / 2) / n), clamped; recip = ceil(2^32 / n), n >= 2. */
static inline int32x4_t mve_avg4(int32x4_t s, int32_t half, uint32_t recip, int32x4_t lo,
                                 int32x4_t hi) {
  const uint32x4_t num = vreinterpretq_u32_s32(vaddq_n_s32(vabsq_s32(s), half));
  const int32x4_t q = vreinterpretq_s32_u32(vmulhq_u32(num, vdupq_n_u32(recip)));
  const int32x4_t v = vpselq_s32(vnegq_s32(q), q, vcmpltq_n_s32(s, 0));
  return vminq_s32(vmaxq_s32(v, lo), hi);
}

static MVE_NOINLINE void mve_avg_s8(const TfmAveragePool2DData *d, const int8_t *in,
                                    int8_t *out) {
  const int32_t depth = d->depth, row = d->in_w * depth;
  const int32x4_t lo = vdupq_n_s32(d->act_min), hi = vdupq_n_s32(d->act_max);
  for (int32_t b = 0; b < d->batches; ++b) {
    const int8_t *in_b = in + b * d->in_h * row;
    for (int32_t oy = 0; oy < d->out_h; ++oy) {
      const int32_t y0 = oy * d->stride_h - d->padding.height;
      int32_t fy0, fy1;
      tfm_pool_tap_range(y0, d->in_h, d->filter_h, &fy0, &fy1);
      for (int32_t ox = 0; ox < d->out_w; ++ox, out += depth) {
        const int32_t x0 = ox * d->stride_w - d->padding.width;
        int32_t fx0, fx1;
        tfm_pool_tap_range(x0, d->in_w, d->filter_w, &fx0, &fx1);
        const bool any = fy0 < fy1 && fx0 < fx1;
        const int32_t rows = any ? fy1 - fy0 : 0, cols = any ? fx1 - fx0 : 0;
        const int32_t count = rows * cols;
        const uint32_t recip = count >= 2 ? 0xFFFFFFFFu / (uint32_t)count + 1u : 0u;
        const int8_t *base = any ? in_b + (y0 + fy0) * row + (x0 + fx0) * depth : in_b;
        for (int32_t c = 0; c < depth; c += 8) {
          const mve_pred16_t p = vctp16q((uint32_t)(depth - c));
          int16x8_t s = vdupq_n_s16(0);
          if (depth - c >= 8) { /* whole vector: unpredicated loads */
            for (int32_t r = 0; r < rows; ++r) {
              const int8_t *t = base + r * row + c;
              for (int32_t k = 0; k < cols; ++k, t += depth) s = vaddq_s16(s, vldrbq_s16(t));
            }
          } else {
            for (int32_t r = 0; r < rows; ++r) {
              const int8_t *t = base + r * row + c;
              for (int32_t k = 0; k < cols; ++k, t += depth) {
                s = vaddq_s16(s, vldrbq_z_s16(t, p));
              }
            }
          }
          const int32x4_t even = vmovlbq_s16(s), odd = vmovltq_s16(s);
          int32x4_t re, ro;
          if (count >= 2) {
            re = mve_avg4(even, count / 2, recip, lo, hi);
            ro = mve_avg4(odd, count / 2, recip, lo, hi);
          } else { /* one tap: the value itself (no window is empty after prepare) */
            re = vminq_s32(vmaxq_s32(even, lo), hi);
            ro = vminq_s32(vmaxq_s32(odd, lo), hi);
          }
          const int16x8_t v = vmovntq_s32(vmovnbq_s32(vdupq_n_s16(0), re), ro);
          vstrbq_p_s16(out + c, v, p);
        }
      }
    }
  }
}

static tfm_status mve_avg_pool_eval(tfm_context *ctx, tfm_node *node) {
  const TfmAveragePool2DData *d = (const TfmAveragePool2DData *)node->data;
  const tfm_tensor *in = tfm_input(ctx, node, 0);
  if (in->type != TFM_INT8 || d->filter_h * d->filter_w > 256) {
    return tfm_average_pool_2d_eval_reference(ctx, node);
  }
  mve_avg_s8(d, (const int8_t *)in->data, (int8_t *)tfm_output(ctx, node, 0)->data);
  return TFM_OK;
}

const tfm_kernel *tfm_register_average_pool_2d(void) {
  static const tfm_kernel kernel = TFM_BUILTIN_KERNEL(AVERAGE_POOL_2D, tfm_average_pool_2d_prepare,
                                                       mve_avg_pool_eval);
  return &kernel;
}
