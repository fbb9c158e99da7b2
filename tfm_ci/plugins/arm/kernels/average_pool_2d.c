/* arm-dsp AVERAGE_POOL_2D: replaces kernels/reference/average_pool_2d.c in
 * kernel set "arm-dsp". Prepare and the float32 / int16 evals are the
 * shared ones of common/average_pool_2d.h. int8 runs here
 * when a window has at most 256 taps: 4 channels per step, each tap added
 * into two int16x2 sums with SXTAB16 (256 * -128 = -32768 and 256 * 127 still
 * fit an int16 lane, so the sums are exact), then TFLite's rounded division
 * per channel (half away from zero) and the activation clamp. */
#include "arm_dsp.h"
#include "common/average_pool_2d.h"
#include "common/ops.h"
#include "tfm/kernels.h"

/* TFLite's integer average: round half away from zero; 0 for an empty window. */
static inline int32_t dsp_avg(int32_t sum, int32_t count) {
  if (count <= 0) return 0;
  return sum > 0 ? (sum + count / 2) / count : (sum - count / 2) / count;
}

static TFM_DSP_HOT void dsp_avg_s8(const TfmAveragePool2DData *d, const int8_t *in, int8_t *out) {
  const int32_t depth = d->depth, row = d->in_w * depth;
  const int32_t lo = d->act_min, hi = d->act_max;
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
        const int32_t fy_end = any ? fy1 : fy0; /* no tap: no pointer past the row */
        const int32_t count = any ? (fy1 - fy0) * (fx1 - fx0) : 0;
        int32_t c = 0;
        for (; c + 4 <= depth; c += 4) {
          int32_t s02 = 0, s13 = 0; /* int16 lanes: channels (c, c+2), (c+1, c+3) */
          for (int32_t fy = fy0; fy < fy_end; ++fy) {
            const int8_t *p = in_b + (y0 + fy) * row + (x0 + fx0) * depth + c;
            for (int32_t fx = fx0; fx < fx1; ++fx, p += depth) {
              const int32_t v = dsp_load4(p);
              s02 = dsp_ext02(s02, v);
              s13 = dsp_ext13(s13, v);
            }
          }
          const int32_t sums[4] = {(int16_t)(s02 & 0xFFFF), (int16_t)(s13 & 0xFFFF),
                                   (int16_t)((uint32_t)s02 >> 16),
                                   (int16_t)((uint32_t)s13 >> 16)};
          for (int i = 0; i < 4; ++i) {
            const int32_t v = dsp_avg(sums[i], count);
            out[c + i] = (int8_t)(v < lo ? lo : (v > hi ? hi : v));
          }
        }
        for (; c < depth; ++c) {
          int32_t sum = 0;
          for (int32_t fy = fy0; fy < fy_end; ++fy) {
            const int8_t *p = in_b + (y0 + fy) * row + (x0 + fx0) * depth + c;
            for (int32_t fx = fx0; fx < fx1; ++fx, p += depth) sum += *p;
          }
          const int32_t v = dsp_avg(sum, count);
          out[c] = (int8_t)(v < lo ? lo : (v > hi ? hi : v));
        }
      }
    }
  }
}

static tfm_status dsp_avg_pool_eval(tfm_context *ctx, tfm_node *node) {
  const TfmAveragePool2DData *d = (const TfmAveragePool2DData *)node->data;
  const tfm_tensor *in = tfm_input(ctx, node, 0);
  if (in->type != TFM_INT8 || d->filter_h * d->filter_w > 256) {
    return tfm_average_pool_2d_eval_reference(ctx, node);
  }
  tfm_tensor *out = tfm_output(ctx, node, 0);
  dsp_avg_s8(d, (const int8_t *)in->data, (int8_t *)out->data);
  return TFM_OK;
}

const tfm_kernel *tfm_register_average_pool_2d(void) {
  static const tfm_kernel kernel = TFM_BUILTIN_KERNEL(AVERAGE_POOL_2D, tfm_average_pool_2d_prepare,
                                                       dsp_avg_pool_eval);
  return &kernel;
}
