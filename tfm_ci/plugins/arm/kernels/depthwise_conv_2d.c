/* arm-dsp DEPTHWISE_CONV_2D: replaces kernels/reference/depthwise_conv_2d.c in
 * kernel set "arm-dsp".
 *
 * Prepare, float32, 16x8 and int8 with a depth multiplier > 1 on several
 * input channels are the shared ones of common/depthwise_conv_2d.h
 * (tfm_depthwise_conv_2d_prepare, tfm_depthwise_conv_2d_eval_reference,
 * TfmDepthwiseConv2DData). int8 runs here:
 *  - depth multiplier 1, 3x3, no dilation, the whole int8 range as activation
 *    range (MobileNet's layers): dsp_dw3_layer, one channel at a time from
 *    int16 input rows (all of them, or a ring of 3 in large layers), pairs
 *    of outputs on the assembly dsp_dw3_pairs_s1 / _s2 (scratch: 48 bytes
 *    per window column, or a channel's rows up to 8 KiB); also with one
 *    input channel and any multiplier (its rows shared by its outputs);
 *  - other depth multiplier 1 filters: dsp_dw_mult1_fast (a channel table,
 *    accumulators in registers, pixel pairs sharing unpacked weights), or with
 *    a narrower activation range dsp_dw_mult1 (row accumulators in scratch,
 *    each tap sweeping the row);
 *  - one input channel (out_d = multiplier) with the whole int8 range:
 *    dsp_dw_one_channel_direct, no im2col (a 16-byte table row per channel);
 *    pixels with every tap in the image and 8 output channels on the
 *    assembly dsp_dw1_px8; with a narrower range, dsp_dw_one_channel (im2col
 *    column pair + dsp_mat_s8s16 on the filter transposed in scratch).
 * Channels whose rescale is off dsp_rqf.h's fast range get TFLite's general
 * one. Bit-exact: see arm_dsp.h and dsp_rqf.h. */
#include "dsp_dw.h"
#include "common/ops.h"
#include "tfm/kernels.h"

enum { DSP_DW_REFERENCE = 0, DSP_DW_MULT1 = 1, DSP_DW_ONE_CHANNEL = 2 };

static int dsp_dw_path(const TfmDepthwiseConv2DData *d, const tfm_tensor *in) {
  if (in->type != TFM_INT8) return DSP_DW_REFERENCE;
  if (d->in_d == 1) return DSP_DW_ONE_CHANNEL;
  return d->depth_multiplier == 1 ? DSP_DW_MULT1 : DSP_DW_REFERENCE;
}



static bool dsp_dw_is3x3(const TfmDepthwiseConv2DData *d) {
  return d->filter_h == 3 && d->filter_w == 3 && d->dilation_h == 1 && d->dilation_w == 1;
}

static tfm_status dsp_dw_prepare(tfm_context *ctx, tfm_node *node) {
  TFM_TRY(tfm_depthwise_conv_2d_prepare(ctx, node));
  TfmDepthwiseConv2DData *d = (TfmDepthwiseConv2DData *)node->data;
  const int path = dsp_dw_path(d, tfm_input(ctx, node, 0));
  if (path == DSP_DW_REFERENCE) return TFM_OK;
  /* Our own scratch replaces the reference's accumulator row (that request
   * stays unused: out_d * 4 bytes, live during this op only). */
  size_t bytes;
  if (dsp_dw_is3x3(d) && dsp_full_range(d->act_min, d->act_max)) { /* the row window */
    return tfm_request_scratch(ctx, dsp_dw3_window_bytes(d), &d->scratch_index);
  }
  if (path == DSP_DW_MULT1) { /* the channel table, or accumulators of one output row */
    bytes = (size_t)d->out_d * sizeof(dsp_dw_row);
    const size_t row = (size_t)d->out_w * (size_t)d->out_d * sizeof(int32_t);
    if (bytes < row) bytes = row;
  } else if (dsp_full_range(d->act_min, d->act_max)) { /* the direct path's table */
    bytes = (size_t)d->out_d * sizeof(dsp_dw_row);
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

/* ---- depth multiplier 1, accumulators in registers ---------------------- */

/* One output pixel pair (xb_off = 0: one pixel, computed twice) of every
 * channel group of 4: nfy x nfx taps from x (input) / w (filter), accumulators
 * in registers, the weights unpacked once for both pixels, the fast rescale
 * from the table row, 4 + 4 bytes stored. */
static TFM_DSP_HOT void dsp_dw_pair(int8_t *oa, int8_t *ob, const int8_t *x, int32_t xb_off,
                                    const int8_t *w, const dsp_dw_row *row, int32_t groups,
                                    int32_t nfy, int32_t nfx, int32_t x_row, int32_t x_col,
                                    int32_t w_row, int32_t ch, int32_t offset2,
                                    int32_t out_offset) {
  for (int32_t g = 0; g < groups; ++g, x += 4, w += 4, row += 4, oa += 4, ob += 4) {
    int32_t a0 = row[0].bias, a1 = row[1].bias, a2 = row[2].bias, a3 = row[3].bias;
    int32_t b0 = a0, b1 = a1, b2 = a2, b3 = a3;
    const int8_t *xr = x, *wr = w;
    for (int32_t fy = nfy; fy > 0; --fy, xr += x_row, wr += w_row) {
      const int8_t *xp = xr, *wp = wr;
      for (int32_t fx = nfx; fx > 0; --fx, xp += x_col, wp += ch) {
        const int32_t wv = dsp_load4(wp);
        const int32_t w02 = dsp_sx02(wv), w13 = dsp_sx13(wv);
        const int32_t va = dsp_load4(xp), vb = dsp_load4(xp + xb_off);
        const int32_t xa02 = dsp_ext02(offset2, va), xa13 = dsp_ext13(offset2, va);
        const int32_t xb02 = dsp_ext02(offset2, vb), xb13 = dsp_ext13(offset2, vb);
        a0 = __smlabb(xa02, w02, a0);
        a2 = __smlatt(xa02, w02, a2);
        a1 = __smlabb(xa13, w13, a1);
        a3 = __smlatt(xa13, w13, a3);
        b0 = __smlabb(xb02, w02, b0);
        b2 = __smlatt(xb02, w02, b2);
        b1 = __smlabb(xb13, w13, b1);
        b3 = __smlatt(xb13, w13, b3);
      }
    }
#define DSP_DW_RQ(acc, r) dsp_dw_rq(acc, &(r), out_offset)
    ob[0] = DSP_DW_RQ(b0, row[0]);
    ob[1] = DSP_DW_RQ(b1, row[1]);
    ob[2] = DSP_DW_RQ(b2, row[2]);
    ob[3] = DSP_DW_RQ(b3, row[3]);
    oa[0] = DSP_DW_RQ(a0, row[0]); /* after b: with one pixel, ob == oa */
    oa[1] = DSP_DW_RQ(a1, row[1]);
    oa[2] = DSP_DW_RQ(a2, row[2]);
    oa[3] = DSP_DW_RQ(a3, row[3]);
  }
}

/* The last ch % 4 channels of one pixel, scalar. */
static void dsp_dw_tail(int8_t *o, const int8_t *x, const int8_t *w, const dsp_dw_row *row,
                        int32_t n, int32_t nfy, int32_t nfx, int32_t x_row, int32_t x_col,
                        int32_t w_row, int32_t ch, int32_t offset, int32_t out_offset) {
  for (int32_t c = 0; c < n; ++c) {
    uint32_t acc = (uint32_t)row[c].bias;
    for (int32_t fy = 0; fy < nfy; ++fy) {
      for (int32_t fx = 0; fx < nfx; ++fx) {
        acc += (uint32_t)(w[fy * w_row + fx * ch + c] * (x[fy * x_row + fx * x_col + c] + offset));
      }
    }
    o[c] = DSP_DW_RQ((int32_t)acc, row[c]);
  }
}
#undef DSP_DW_RQ

/* ---- 3x3, dilation 1, interior pixels ----------------------------------- */

/* Depth multiplier 1 with every channel on the fast rescale and the whole
 * int8 range as activation range (table: dsp_dw_table's rows). */
static void dsp_dw_mult1_fast(const TfmDepthwiseConv2DData *d, const int8_t *in,
                              const int8_t *filter, int8_t *out, const dsp_dw_row *table) {
  const int32_t ch = d->in_d, dil_h = d->dilation_h, dil_w = d->dilation_w;
  const int32_t row = d->in_w * ch, w_row = d->filter_w * ch, out_w = d->out_w;
  const int32_t groups = ch >> 2, t0 = ch & ~3;
  const int32_t offset = d->input_offset, offset2 = dsp_dup16(offset);
  const int32_t x_step = d->stride_w * ch, out_off = d->output_offset;
  for (int32_t b = 0; b < d->batches; ++b) {
    const int8_t *in_b = in + b * d->in_h * row;
    for (int32_t oy = 0; oy < d->out_h; ++oy) {
      const int32_t y0 = oy * d->stride_h - d->padding.height;
      int32_t fy0, fy1;
      tfm_conv_tap_range(y0, dil_h, d->in_h, d->filter_h, &fy0, &fy1);
      const int32_t nfy = fy1 > fy0 ? fy1 - fy0 : 0;
      const int8_t *in_y = in_b + (nfy ? (y0 + fy0 * dil_h) * row : 0);
      const int8_t *w_y = filter + fy0 * w_row;
      for (int32_t ox = 0; ox < out_w;) {
        const int32_t x0 = ox * d->stride_w - d->padding.width;
        int32_t fx0, fx1;
        tfm_conv_tap_range(x0, dil_w, d->in_w, d->filter_w, &fx0, &fx1);
        const int32_t nfx = fx1 > fx0 ? fx1 - fx0 : 0;
        bool pair = false;
        if (ox + 1 < out_w) { /* the next pixel with the same taps */
          int32_t gx0, gx1;
          tfm_conv_tap_range(x0 + d->stride_w, dil_w, d->in_w, d->filter_w, &gx0, &gx1);
          pair = gx0 == fx0 && gx1 == fx1;
        }
        const int32_t nfx_y = nfy ? nfx : 0; /* no tap at all: bias only */
        const int8_t *xp = in_y + (nfx_y ? (x0 + fx0 * dil_w) * ch : 0);
        const int8_t *wp = w_y + fx0 * ch;
        int8_t *oa = out + ox * ch;
        dsp_dw_pair(oa, pair ? oa + ch : oa, xp, pair ? x_step : 0, wp, table, groups, nfy,
                    nfx_y, dil_h * row, dil_w * ch, w_row, ch, offset2, out_off);
        if (t0 < ch) {
          dsp_dw_tail(oa + t0, xp + t0, wp + t0, table + t0, ch - t0, nfy, nfx_y, dil_h * row,
                      dil_w * ch, w_row, ch, offset, out_off);
          if (pair) {
            dsp_dw_tail(oa + ch + t0, xp + x_step + t0, wp + t0, table + t0, ch - t0, nfy,
                        nfx_y, dil_h * row, dil_w * ch, w_row, ch, offset, out_off);
          }
        }
        ox += pair ? 2 : 1;
      }
      out += out_w * ch;
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
  if (dsp_dw_is3x3(d) && dsp_full_range(d->act_min, d->act_max)) { /* either path */
    dsp_dw3_layer(d, x, w, bv, y, (int32_t *)scratch);
    return TFM_OK;
  }
  if (path == DSP_DW_MULT1) {
    const dsp_out_params p = {bv, d->multiplier, d->shift, d->output_offset, d->act_min,
                              d->act_max};
    if (dsp_dw_table((dsp_dw_row *)scratch, d->out_d, &p)) {
      dsp_dw_mult1_fast(d, x, w, y, (const dsp_dw_row *)scratch);
    } else {
      dsp_dw_mult1(d, x, w, bv, y, (int32_t *)scratch);
    }
  } else {
    const dsp_out_params p = {bv, d->multiplier, d->shift, d->output_offset, d->act_min,
                              d->act_max};
    if (dsp_dw_table((dsp_dw_row *)scratch, d->out_d, &p)) {
      dsp_dw_one_channel_direct(d, x, w, y, (const dsp_dw_row *)scratch);
    } else {
      dsp_dw_one_channel(d, x, w, bv, y, (uint8_t *)scratch);
    }
  }
  return TFM_OK;
}

const tfm_kernel *tfm_register_depthwise_conv_2d(void) {
  static const tfm_kernel kernel =
      TFM_BUILTIN_KERNEL(DEPTHWISE_CONV_2D, dsp_dw_prepare, dsp_dw_eval);
  return &kernel;
}
