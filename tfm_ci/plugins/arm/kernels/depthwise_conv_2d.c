/* arm-dsp DEPTHWISE_CONV_2D: replaces kernels/reference/depthwise_conv_2d.c in
 * kernel set "arm-dsp".
 *
 * Prepare, float32, 16x8 and int8 with a depth multiplier > 1 on several
 * input channels are the shared ones of common/depthwise_conv_2d.h
 * (tfm_depthwise_conv_2d_prepare, tfm_depthwise_conv_2d_eval_reference,
 * TfmDepthwiseConv2DData). int8 runs here when
 *  - depth multiplier 1: one output row at a time, accumulators for the row
 *    in scratch (out_w * out_d int32); each filter tap sweeps the row, 4
 *    channels per step: 4 inputs and 4 weights are unpacked with SXTAB16
 *    (input offset added) / SXTB16 and accumulated with SMLABB/SMLATT;
 *  - one input channel (any multiplier: out_d = multiplier): this is a
 *    convolution with fh * fw taps, so it runs as CONV_2D does (im2col column
 *    pair + dsp_mat_s8s16) on the filter transposed to [out_d][fh*fw],
 *    rebuilt in the scratch buffer on every eval (out_d * fh * fw bytes).
 * Bit-exact: see arm_dsp.h. */
#include "arm_dsp.h"
#include "common/depthwise_conv_2d.h"
#include "common/ops.h"
#include "tfm/kernels.h"

enum { DSP_DW_REFERENCE = 0, DSP_DW_MULT1 = 1, DSP_DW_ONE_CHANNEL = 2 };

static int dsp_dw_path(const TfmDepthwiseConv2DData *d, const tfm_tensor *in) {
  if (in->type != TFM_INT8) return DSP_DW_REFERENCE;
  if (d->in_d == 1) return DSP_DW_ONE_CHANNEL;
  return d->depth_multiplier == 1 ? DSP_DW_MULT1 : DSP_DW_REFERENCE;
}

static int32_t dsp_dw_taps(const TfmDepthwiseConv2DData *d) { return d->filter_h * d->filter_w; }

static tfm_status dsp_dw_prepare(tfm_context *ctx, tfm_node *node) {
  TFM_TRY(tfm_depthwise_conv_2d_prepare(ctx, node));
  TfmDepthwiseConv2DData *d = (TfmDepthwiseConv2DData *)node->data;
  const int path = dsp_dw_path(d, tfm_input(ctx, node, 0));
  if (path == DSP_DW_REFERENCE) return TFM_OK;
  /* Our own scratch replaces the reference's accumulator row (that request
   * stays unused: out_d * 4 bytes, live during this op only). */
  size_t bytes;
  if (path == DSP_DW_MULT1) { /* accumulators of one output row */
    bytes = (size_t)d->out_w * (size_t)d->out_d * sizeof(int32_t);
  } else { /* column pair, then the transposed filter */
    const int32_t k = dsp_dw_taps(d);
    bytes = (size_t)dsp_col_bytes(k) + (size_t)d->out_d * (size_t)k;
  }
  return tfm_request_scratch(ctx, bytes, &d->scratch_index);
}

/* ---- depth multiplier 1 -------------------------------------------------- */

/* One filter tap for every channel of one pixel: acc[c] += w[c] * (x[c] + offset),
 * 4 channels per step (SXTAB16 / SXTB16 unpack, SMLABB / SMLATT). */
static inline __attribute__((always_inline)) void dsp_dw_tap(int32_t *acc, const int8_t *x,
                                                             const int8_t *w, int32_t ch,
                                                             int32_t offset, int32_t offset2) {
  const int32_t *end = acc + (ch & ~3);
  for (; acc < end; acc += 4, x += 4, w += 4) {
    const int32_t xv = dsp_load4(x), wv = dsp_load4(w);
    int32_t a0, a1, a2, a3;
    /* two LDRD / STRD per step (acc: the 16-byte aligned scratch, ch % 4 == 0
     * here or the row is walked one pixel at a time) */
    __asm__ volatile("ldrd %0, %1, [%2]" : "=r"(a0), "=r"(a1) : "r"(acc) : "memory");
    __asm__ volatile("ldrd %0, %1, [%2, #8]" : "=r"(a2), "=r"(a3) : "r"(acc) : "memory");
    const int32_t x02 = dsp_ext02(offset2, xv), x13 = dsp_ext13(offset2, xv);
    const int32_t w02 = dsp_sx02(wv), w13 = dsp_sx13(wv);
    a0 = __smlabb(x02, w02, a0);
    a2 = __smlatt(x02, w02, a2);
    a1 = __smlabb(x13, w13, a1);
    a3 = __smlatt(x13, w13, a3);
    __asm__ volatile("strd %0, %1, [%2]" : : "r"(a0), "r"(a1), "r"(acc) : "memory");
    __asm__ volatile("strd %0, %1, [%2, #8]" : : "r"(a2), "r"(a3), "r"(acc) : "memory");
  }
  for (int32_t c = 0; c < (ch & 3); ++c) {
    acc[c] = (int32_t)((uint32_t)acc[c] + (uint32_t)(w[c] * (x[c] + offset)));
  }
}

/* acc[0..3] += x(0..3) * w(0..3) for unpacked weights w02 / w13. */
static inline __attribute__((always_inline)) void dsp_dw_mac4(int32_t *acc, const int8_t *x,
                                                              int32_t w02, int32_t w13,
                                                              int32_t offset2) {
  const int32_t xv = dsp_load4(x);
  int32_t a0, a1, a2, a3;
  __asm__ volatile("ldrd %0, %1, [%2]" : "=r"(a0), "=r"(a1) : "r"(acc) : "memory");
  __asm__ volatile("ldrd %0, %1, [%2, #8]" : "=r"(a2), "=r"(a3) : "r"(acc) : "memory");
  const int32_t x02 = dsp_ext02(offset2, xv), x13 = dsp_ext13(offset2, xv);
  a0 = __smlabb(x02, w02, a0);
  a2 = __smlatt(x02, w02, a2);
  a1 = __smlabb(x13, w13, a1);
  a3 = __smlatt(x13, w13, a3);
  __asm__ volatile("strd %0, %1, [%2]" : : "r"(a0), "r"(a1), "r"(acc) : "memory");
  __asm__ volatile("strd %0, %1, [%2, #8]" : : "r"(a2), "r"(a3), "r"(acc) : "memory");
}

/* One filter tap for n consecutive output pixels of a row (accumulators
 * ch apart, inputs x_step apart, the same weights): two pixels per step
 * share each group's unpacked weights. */
static TFM_DSP_HOT void dsp_dw_tap_run(int32_t *acc, const int8_t *x, const int8_t *w,
                                       int32_t ch, int32_t n, int32_t x_step, int32_t offset) {
  const int32_t offset2 = dsp_dup16(offset);
  const int32_t groups = ch >> 2;
  /* pointers advance only to pixels that exist (no out-of-bounds arithmetic) */
  for (; n >= 2; n -= 2) {
    int32_t *a = acc, *b = acc + ch;
    const int8_t *xa = x, *wp = w;
    for (int32_t g = groups; g > 0; --g, a += 4, b += 4, xa += 4, wp += 4) {
      const int32_t wv = dsp_load4(wp);
      const int32_t w02 = dsp_sx02(wv), w13 = dsp_sx13(wv);
      dsp_dw_mac4(a, xa, w02, w13, offset2);
      dsp_dw_mac4(b, xa + x_step, w02, w13, offset2);
    }
    for (int32_t c = 0; c < (ch & 3); ++c) {
      a[c] = (int32_t)((uint32_t)a[c] + (uint32_t)(wp[c] * (xa[c] + offset)));
      b[c] = (int32_t)((uint32_t)b[c] + (uint32_t)(wp[c] * (xa[x_step + c] + offset)));
    }
    if (n > 2) {
      acc += 2 * ch;
      x += 2 * x_step;
    }
  }
  if (n > 0) dsp_dw_tap(acc, x, w, ch, offset, offset2); /* the odd last pixel */
}

/* acc[0..n) = 0, two words per store (acc: 16-byte aligned scratch). */
static TFM_DSP_HOT void dsp_zero(int32_t *acc, int32_t n) {
  int32_t i = 0;
  for (; i + 4 <= n; i += 4) {
    __asm__ volatile("strd %1, %1, [%0]\n\tstrd %1, %1, [%0, #8]" : : "r"(acc + i), "r"(0)
                     : "memory");
  }
  for (; i < n; ++i) acc[i] = 0;
}

/* out[i] = requant(bias[c] + acc[i]), c = i % ch, for n pixels of ch channels
 * (the order of the sum does not matter modulo 2^32):
 * channel outer, so its rescale parameters are set up once per row. */
static TFM_DSP_HOT void dsp_dw_store(int8_t *out, const int32_t *acc, const dsp_out_params *p,
                                     int32_t ch, int32_t n) {
  const int32_t *m = p->multiplier;
  const int8_t *sh = p->shift;
  const int32_t off = p->out_offset, lo = p->act_min, hi = p->act_max;
  const bool full = dsp_full_range(lo, hi);
  const int32_t *bias = p->bias;
  for (int32_t c = 0; c < ch; ++c) {
    const dsp_rq q = dsp_rq_make(m[c], sh[c]);
    const uint32_t bc = bias ? (uint32_t)bias[c] : 0u;
    int8_t *o = out + c;
    const int32_t *a = acc + c;
    if (full) { /* the common case, kept free of the clamp's registers */
      for (int32_t i = 0; i < n; ++i, o += ch, a += ch) {
        const int32_t v = dsp_rq_apply(q, (int32_t)((uint32_t)*a + bc));
        *o = (int8_t)__ssat((int32_t)((uint32_t)v + (uint32_t)off), 8);
      }
    } else {
      for (int32_t i = 0; i < n; ++i, o += ch, a += ch) {
        *o = dsp_rq_out(q, (int32_t)((uint32_t)*a + bc), off, lo, hi, false);
      }
    }
  }
}

/* Output columns [*a, *b) whose tap at input column offset `shift` (= fx *
 * dilation - padding) lies inside 0 <= ox * stride + shift < in_w. */
static void dsp_dw_col_range(int32_t shift, int32_t stride, int32_t in_w, int32_t out_w,
                             int32_t *a, int32_t *b) {
  const int32_t lo = shift >= 0 ? 0 : (-shift + stride - 1) / stride;
  const int32_t last = in_w - 1 - shift; /* ox * stride <= last */
  const int32_t hi = last < 0 ? 0 : last / stride + 1;
  *a = lo;
  *b = hi < out_w ? hi : out_w;
}

/* Depth multiplier 1: one output row at a time, accumulators for the whole
 * row (out_w * ch int32 of scratch, zeroed; the bias is added when storing);
 * each filter tap sweeps the row, so the per-call work is out_w * ch MACs
 * even for few channels. */
static void dsp_dw_mult1(const TfmDepthwiseConv2DData *d, const int8_t *in, const int8_t *filter,
                         const int32_t *bias, int8_t *out, int32_t *acc) {
  const dsp_out_params p = {bias, d->multiplier, d->shift, d->output_offset, d->act_min,
                            d->act_max};
  const int32_t ch = d->in_d, dil_h = d->dilation_h, dil_w = d->dilation_w;
  const int32_t row = d->in_w * ch, frow = d->filter_w * ch, out_w = d->out_w;
  const int32_t n_acc = out_w * ch;
  for (int32_t b = 0; b < d->batches; ++b) {
    const int8_t *in_b = in + b * d->in_h * row;
    for (int32_t oy = 0; oy < d->out_h; ++oy, out += n_acc) {
      const int32_t y0 = oy * d->stride_h - d->padding.height;
      int32_t fy0, fy1;
      tfm_conv_tap_range(y0, dil_h, d->in_h, d->filter_h, &fy0, &fy1);
      dsp_zero(acc, n_acc); /* the bias is added when storing */
      for (int32_t fy = fy0; fy < fy1; ++fy) {
        const int8_t *ip = in_b + (y0 + fy * dil_h) * row;
        for (int32_t fx = 0; fx < d->filter_w; ++fx) {
          const int32_t shift = fx * dil_w - d->padding.width;
          int32_t oa, ob;
          dsp_dw_col_range(shift, d->stride_w, d->in_w, out_w, &oa, &ob);
          if (oa >= ob) continue;
          dsp_dw_tap_run(acc + oa * ch, ip + (oa * d->stride_w + shift) * ch,
                         filter + fy * frow + fx * ch, ch, ob - oa, d->stride_w * ch,
                         d->input_offset);
        }
      }
      dsp_dw_store(out, acc, &p, ch, out_w);
    }
  }
}

/* ---- one input channel: a convolution over fh * fw taps ------------------ */

/* Rows of 4 * groups taps (whole groups of the column format) from src,
 * row_step apart, into slot `pixel` of the column pair from group 0 on. */
static TFM_DSP_HOT void dsp_dw_rows(dsp_word *dst, const int8_t *src, int32_t rows,
                                    int32_t groups, int32_t row_step, int32_t offset2) {
  for (; rows > 0; --rows, src += row_step) {
    const int8_t *s = src;
    for (int32_t g = groups; g > 0; --g, s += 4, dst += 4) {
      const int32_t v = dsp_load4(s);
      dst[0] = dsp_ext02(offset2, v);
      dst[1] = dsp_ext13(offset2, v);
    }
  }
}

static void dsp_dw_im2col(const TfmDepthwiseConv2DData *d, const int8_t *in_b, int32_t oy,
                          int32_t ox, int16_t *col, int pixel, int32_t k) {
  const int32_t fw = d->filter_w;
  const int32_t y0 = oy * d->stride_h - d->padding.height;
  const int32_t x0 = ox * d->stride_w - d->padding.width;
  int32_t fx0, fx1;
  tfm_conv_tap_range(x0, d->dilation_w, d->in_w, fw, &fx0, &fx1);
  if (fx1 < fx0) fx1 = fx0;
  if (d->dilation_w == 1 && (fw & 3) == 0 && fx0 == 0 && fx1 == fw) {
    /* every filter row in the image along x and a whole number of groups
     * (micro_speech: 10x8, stride 2): rows above / below the image are zeroed,
     * the others unrolled 4 taps per LDR + two SXTAB16 + two STR */
    int32_t fy0, fy1;
    tfm_conv_tap_range(y0, d->dilation_h, d->in_h, d->filter_h, &fy0, &fy1);
    if (fy1 < fy0) fy1 = fy0;
    if (fy0 > 0) dsp_col_zero(col, pixel, 0, fy0 * fw, k);
    dsp_dw_rows((dsp_word *)(col + 2 * fy0 * fw + 4 * pixel),
                in_b + (y0 + fy0 * d->dilation_h) * d->in_w + x0, fy1 - fy0, fw >> 2,
                d->dilation_h * d->in_w, dsp_dup16(d->input_offset));
    if (fy1 < d->filter_h) dsp_col_zero(col, pixel, fy1 * fw, (d->filter_h - fy1) * fw, k);
    return;
  }
  for (int32_t fy = 0; fy < d->filter_h; ++fy) {
    const int32_t y = y0 + fy * d->dilation_h;
    const int32_t pos = fy * fw;
    if (y < 0 || y >= d->in_h || fx0 == fx1) {
      dsp_col_zero(col, pixel, pos, fw, k);
      continue;
    }
    const int8_t *src = in_b + y * d->in_w + x0 + fx0 * d->dilation_w; /* first in-image tap */

    if (fx0 > 0) dsp_col_zero(col, pixel, pos, fx0, k);
    if (d->dilation_w == 1) {
      dsp_col_put(col, pixel, pos + fx0, src, fx1 - fx0, k, d->input_offset);
    } else {
      for (int32_t fx = fx0; fx < fx1; ++fx, src += d->dilation_w) {
        dsp_col_put(col, pixel, pos + fx, src, 1, k, d->input_offset);
      }
    }
    if (fx1 < fw) dsp_col_zero(col, pixel, pos + fx1, fw - fx1, k);
  }
}

static void dsp_dw_one_channel(const TfmDepthwiseConv2DData *d, const int8_t *in,
                               const int8_t *filter, const int32_t *bias, int8_t *out,
                               uint8_t *scratch) {
  const dsp_out_params p = {bias, d->multiplier, d->shift, d->output_offset, d->act_min,
                            d->act_max};
  const int32_t k = dsp_dw_taps(d), out_d = d->out_d;
  int16_t *col = (int16_t *)scratch;
  int8_t *wt = (int8_t *)(scratch + dsp_col_bytes(k));
  for (int32_t oc = 0; oc < out_d; ++oc) { /* filter [tap][oc] -> [oc][tap] */
    for (int32_t t = 0; t < k; ++t) wt[oc * k + t] = filter[t * out_d + oc];
  }
  const int32_t pixels = d->out_h * d->out_w;
  for (int32_t b = 0; b < d->batches; ++b) {
    const int8_t *in_b = in + b * d->in_h * d->in_w;
    int32_t oy = 0, ox = 0;
    for (int32_t px = 0; px < pixels; px += 2) {
      dsp_dw_im2col(d, in_b, oy, ox, col, 0, k);
      int8_t *out_b = NULL;
      if (++ox == d->out_w) ox = 0, ++oy;
      if (px + 1 < pixels) {
        dsp_dw_im2col(d, in_b, oy, ox, col, 1, k);
        out_b = out + out_d;
        if (++ox == d->out_w) ox = 0, ++oy;
      } else {
        dsp_col_zero(col, 1, 0, k, k);
      }
      dsp_mat_s8s16(wt, k, out_d, col, &p, out, out_b);
      out += (out_b ? 2 : 1) * out_d;
    }
  }
}

static tfm_status dsp_dw_eval(tfm_context *ctx, tfm_node *node) {
  const TfmDepthwiseConv2DData *d = (const TfmDepthwiseConv2DData *)node->data;
  const tfm_tensor *in = tfm_input(ctx, node, 0);
  const int path = dsp_dw_path(d, in);
  if (path == DSP_DW_REFERENCE) return tfm_depthwise_conv_2d_eval_reference(ctx, node);
  const tfm_tensor *filter = tfm_input(ctx, node, 1);
  const tfm_tensor *bias = node->num_inputs == 3 ? tfm_input(ctx, node, 2) : NULL;
  tfm_tensor *out = tfm_output(ctx, node, 0);
  const int8_t *x = (const int8_t *)in->data;
  const int8_t *w = (const int8_t *)filter->data;
  const int32_t *bv = bias ? (const int32_t *)bias->data : NULL;
  int8_t *y = (int8_t *)out->data;
  void *scratch = tfm_scratch(ctx, d->scratch_index);
  TFM_ENSURE(ctx, scratch != NULL);
  if (path == DSP_DW_MULT1) {
    dsp_dw_mult1(d, x, w, bv, y, (int32_t *)scratch);
  } else {
    dsp_dw_one_channel(d, x, w, bv, y, (uint8_t *)scratch);
  }
  return TFM_OK;
}

const tfm_kernel *tfm_register_depthwise_conv_2d(void) {
  static const tfm_kernel kernel =
      TFM_BUILTIN_KERNEL(DEPTHWISE_CONV_2D, dsp_dw_prepare, dsp_dw_eval);
  return &kernel;
}
