/* arm-mve MAX_POOL_2D: replaces kernels/reference/max_pool_2d.c in kernel set
 * "arm-mve". Prepare is the shared tfm_pool_prepare; float32 and int16 run the
 * reference eval of common/max_pool_2d.h. int8 runs here, 16 channels per
 * vector: VMAX.S8 over the window's in-image taps, then the activation clamp
 * (VMAX / VMIN); the channel tail under a VCTP8 predicate. Exact: a maximum. */
#include "common/max_pool_2d.h"
#include "common/ops.h"
#include "mve_rq.h"
#include "tfm/kernels.h"

static MVE_NOINLINE void mve_max_s8(const TfmMaxPool2DData *d, const int8_t *in, int8_t *out) {
  const int32_t depth = d->depth, row = d->in_w * depth;
  const int8x16_t lo = vdupq_n_s8((int8_t)d->act_min), hi = vdupq_n_s8((int8_t)d->act_max);
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
        const int8_t *base = any ? in_b + (y0 + fy0) * row + (x0 + fx0) * depth : in_b;
        for (int32_t c = 0; c < depth; c += 16) {
          const mve_pred16_t p = vctp8q((uint32_t)(depth - c));
          int8x16_t m = vdupq_n_s8(-128);
          if (depth - c >= 16) { /* whole vector: unpredicated loads */
            for (int32_t r = 0; r < rows; ++r) {
              const int8_t *t = base + r * row + c;
              for (int32_t k = 0; k < cols; ++k, t += depth) m = vmaxq_s8(m, vldrbq_s8(t));
            }
          } else {
            for (int32_t r = 0; r < rows; ++r) {
              const int8_t *t = base + r * row + c;
              for (int32_t k = 0; k < cols; ++k, t += depth) m = vmaxq_s8(m, vldrbq_z_s8(t, p));
            }
          }
          vstrbq_p_s8(out + c, vminq_s8(vmaxq_s8(m, lo), hi), p);
        }
      }
    }
  }
}

static tfm_status mve_max_pool_eval(tfm_context *ctx, tfm_node *node) {
  const TfmMaxPool2DData *d = (const TfmMaxPool2DData *)node->data;
  const tfm_tensor *in = tfm_input(ctx, node, 0);
  if (in->type != TFM_INT8) return tfm_max_pool_2d_eval_reference(ctx, node);
  mve_max_s8(d, (const int8_t *)in->data, (int8_t *)tfm_output(ctx, node, 0)->data);
  return TFM_OK;
}

const tfm_kernel *tfm_register_max_pool_2d(void) {
  static const tfm_kernel kernel =
      TFM_BUILTIN_KERNEL(MAX_POOL_2D, tfm_pool_prepare, mve_max_pool_eval);
  return &kernel;
}
