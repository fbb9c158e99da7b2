/* arm-mve DEPTHWISE_CONV_2D: replaces kernels/reference/depthwise_conv_2d.c in
 * kernel set "arm-mve".
 *
 * Prepare, float32 and 16x8 are the shared ones of common/depthwise_conv_2d.h.
 * int8 (any depth multiplier) runs here, four output channels per MVE vector:
 * for every in-image tap, VLDRB.S32 loads the four outputs' weights, the
 * inputs are loaded the same way (multiplier 1) or gathered (input channel
 * o / multiplier of output o, VLDRB gather), the input offset is added and
 * VMUL + VADD accumulate in 32-bit lanes (exact products, sums modulo 2^32 as the
 * reference's); the four outputs are rescaled together (mve_requant4) and
 * stored as bytes. Channel tails run under a VCTP32 predicate. No scratch. */
#include "common/depthwise_conv_2d.h"
#include "common/ops.h"
#include "mve_rq.h"
#include "tfm/kernels.h"

#define TFM_MVE_HOT __attribute__((noinline))

static tfm_status mve_dw_prepare(tfm_context *ctx, tfm_node *node) {
  return tfm_depthwise_conv_2d_prepare(ctx, node); /* its accumulator scratch stays unused */
}

/* Sum over the in-image taps of one pixel for outputs o..o+3 (all four
 * exist: no predicate, which GCC 12 spends a VMRS/VMSR pair and a VPST on per
 * load). ip = the first tap's input pixel, wp = its weights of output o. */
static inline __attribute__((always_inline)) int32x4_t mve_dw_taps(
    const int8_t *ip, const int8_t *wp, int32_t rows, int32_t cols, int32_t row_step,
    int32_t col_step, int32_t w_row_step, int32_t out_d, const bool gather_x, uint32x4_t gather,
    int32x4_t offset, int32x4_t acc) {
  for (int32_t r = 0; r < rows; ++r, ip += row_step, wp += w_row_step) {
    const int8_t *x = ip, *w = wp;
    for (int32_t c = 0; c < cols; ++c, x += col_step, w += out_d) {
      const int32x4_t xv = gather_x ? vldrbq_gather_offset_s32(x, gather) : vldrbq_s32(x);
      acc = vaddq_s32(acc, vmulq_s32(vaddq_s32(xv, offset), vldrbq_s32(w)));
    }
  }
  return acc;
}

static TFM_MVE_HOT void mve_dw_s8(const TfmDepthwiseConv2DData *d, const int8_t *in,
                                  const int8_t *filter, const int32_t *bias, int8_t *out) {
  const int32_t in_d = d->in_d, out_d = d->out_d, dm = d->depth_multiplier;
  const int32_t fw = d->filter_w, dil_h = d->dilation_h, dil_w = d->dilation_w;
  const int32_t row = d->in_w * in_d, full = out_d & ~3;
  const int32x4_t offset = vdupq_n_s32(d->input_offset);
  for (int32_t b = 0; b < d->batches; ++b) {
    const int8_t *in_b = in + b * d->in_h * row;
    for (int32_t oy = 0; oy < d->out_h; ++oy) {
      const int32_t y0 = oy * d->stride_h - d->padding.height;
      int32_t fy0, fy1;
      tfm_conv_tap_range(y0, dil_h, d->in_h, d->filter_h, &fy0, &fy1);
      for (int32_t ox = 0; ox < d->out_w; ++ox, out += out_d) {
        const int32_t x0 = ox * d->stride_w - d->padding.width;
        int32_t fx0, fx1;
        tfm_conv_tap_range(x0, dil_w, d->in_w, fw, &fx0, &fx1);
        const int32_t rows = fy1 - fy0, cols = fx1 > fx0 ? fx1 - fx0 : 0;
        /* in-image taps only: no pointer outside the tensors */
        const int8_t *ip = in_b + (y0 + fy0 * dil_h) * row + (x0 + fx0 * dil_w) * in_d;
        const int8_t *wp = filter + (fy0 * fw + fx0) * out_d;
        for (int32_t o = 0; o < out_d; o += 4) {
          /* lane i reads input channel (o + i) / dm: offsets of a gather */
          uint32x4_t gather = vdupq_n_u32(0);
          if (dm != 1) {
            uint32_t g[4];
            for (int32_t i = 0; i < 4; ++i) g[i] = (uint32_t)((o + i) / dm);
            gather = vldrwq_u32(g);
          }
          int32x4_t acc;
          if (o < full) {
            acc = bias ? vldrwq_s32(bias + o) : vdupq_n_s32(0);
            if (dm == 1) {
              acc = mve_dw_taps(ip + o, wp + o, rows, cols, dil_h * row, dil_w * in_d, fw * out_d,
                                out_d, false, gather, offset, acc);
            } else {
              acc = mve_dw_taps(ip, wp + o, rows, cols, dil_h * row, dil_w * in_d, fw * out_d,
                                out_d, true, gather, offset, acc);
            }
            const mve_rq4 q = mve_rq4_make(vldrwq_s32(d->multiplier + o), vldrbq_s32(d->shift + o));
            const int32x4_t r = mve_rq4_out(&q, acc, d->output_offset, d->act_min, d->act_max);
            vstrbq_s32(out + o, r);
            continue;
          }
          /* the last out_d % 4 outputs: predicated (lanes off load and store nothing) */
          const mve_pred16_t p = vctp32q((uint32_t)(out_d - o));
          acc = bias ? vldrwq_z_s32(bias + o, p) : vdupq_n_s32(0);
          for (int32_t r = 0; r < rows; ++r) {
            const int8_t *x = ip + r * dil_h * row, *w = wp + r * fw * out_d + o;
            for (int32_t c = 0; c < cols; ++c, x += dil_w * in_d, w += out_d) {
              const int32x4_t xv = dm == 1 ? vldrbq_z_s32(x + o, p)
                                           : vldrbq_gather_offset_z_s32(x, gather, p);
              acc = vaddq_s32(acc, vmulq_s32(vaddq_s32(xv, offset), vldrbq_z_s32(w, p)));
            }
          }
          const mve_rq4 q = mve_rq4_make(vldrwq_z_s32(d->multiplier + o, p),
                                         vldrbq_z_s32(d->shift + o, p));
          const int32x4_t r = mve_rq4_out(&q, acc, d->output_offset, d->act_min, d->act_max);
          vstrbq_p_s32(out + o, r, p);
        }
      }
    }
  }
}

static tfm_status mve_dw_eval(tfm_context *ctx, tfm_node *node) {
  const TfmDepthwiseConv2DData *d = (const TfmDepthwiseConv2DData *)node->data;
  const tfm_tensor *in = tfm_input(ctx, node, 0);
  if (in->type != TFM_INT8) return tfm_depthwise_conv_2d_eval_reference(ctx, node);
  const tfm_tensor *bias = node->num_inputs == 3 ? tfm_input(ctx, node, 2) : NULL;
  mve_dw_s8(d, (const int8_t *)in->data, (const int8_t *)tfm_input(ctx, node, 1)->data,
            bias ? (const int32_t *)bias->data : NULL, (int8_t *)tfm_output(ctx, node, 0)->data);
  return TFM_OK;
}

const tfm_kernel *tfm_register_depthwise_conv_2d(void) {
  static const tfm_kernel kernel =
      TFM_BUILTIN_KERNEL(DEPTHWISE_CONV_2D, mve_dw_prepare, mve_dw_eval);
  return &kernel;
}
