/* arm-dsp DEPTHWISE_CONV_2D, 3x3 path (see depthwise_conv_2d.c and dsp_dw3.c). */
#include "common/conv_common.h"
#include "dsp_dw.h"

/* The constants of channels c0..c0+3 for dsp_dw3_run. */
static void dsp_dw3_group_make(dsp_dw3_group *gr, const TfmDepthwiseConv2DData *d,
                               const int8_t *filter, const int32_t *bias, int32_t c0) {
  const int32_t ch = d->in_d;
  gr->slow = 0;
  for (int i = 0; i < 4; ++i) {
    const int32_t c = c0 + i;
    gr->bias[i] = bias ? bias[c] : 0;
    const int32_t m = d->multiplier[c];
    const int s = d->shift[c];
    const bool fast = dsp_rqf_ok(m, s);
    gr->rq[3 * i] = m;
    gr->rq[3 * i + 1] = fast ? dsp_rqf_sh(s) : -1;
    gr->rq[3 * i + 2] = fast ? dsp_rqf_khi(s, d->output_offset) : s;
    gr->slow |= !fast;
  }
  for (int t = 0; t < 9; ++t) {
    const int32_t v = dsp_load4(filter + t * ch + c0);
    gr->w[2 * t] = dsp_sx02(v);
    gr->w[2 * t + 1] = dsp_sx13(v);
  }
}

/* Channel c of every output pixel, the reference way (taps in the image only,
 * TFLite's rescale): the channels dsp_dw3_px leaves to its caller. */
static TFM_DSP_HOT void dsp_dw_fixup(const TfmDepthwiseConv2DData *d, const int8_t *in,
                                     const int8_t *filter, const int32_t *bias, int8_t *out,
                                     int32_t c) {
  const int32_t ch = d->in_d, fw = d->filter_w, dil_h = d->dilation_h, dil_w = d->dilation_w;
  const int32_t row = d->in_w * ch, off = d->input_offset;
  const dsp_rq q = dsp_rq_make(d->multiplier[c], d->shift[c]);
  const uint32_t b0 = bias ? (uint32_t)bias[c] : 0u;
  out += c;
  for (int32_t b = 0; b < d->batches; ++b) {
    const int8_t *in_b = in + b * d->in_h * row + c;
    for (int32_t oy = 0; oy < d->out_h; ++oy) {
      const int32_t y0 = oy * d->stride_h - d->padding.height;
      int32_t fy0, fy1;
      tfm_conv_tap_range(y0, dil_h, d->in_h, d->filter_h, &fy0, &fy1);
      for (int32_t ox = 0; ox < d->out_w; ++ox, out += ch) {
        const int32_t x0 = ox * d->stride_w - d->padding.width;
        int32_t fx0, fx1;
        tfm_conv_tap_range(x0, dil_w, d->in_w, fw, &fx0, &fx1);
        uint32_t acc = b0;
        for (int32_t fy = fy0; fy < fy1; ++fy) {
          const int8_t *xp = in_b + (y0 + fy * dil_h) * row + (x0 + fx0 * dil_w) * ch;
          const int8_t *wp = filter + (fy * fw + fx0) * ch + c;
          for (int32_t fx = fx0; fx < fx1; ++fx, xp += dil_w * ch, wp += ch) {
            acc += (uint32_t)(*wp * (*xp + off));
          }
        }
        *out = dsp_rq_out(q, (int32_t)acc, d->output_offset, d->act_min, d->act_max, false);
      }
    }
  }
}

/* Input row y of channels c0..c0+3 into window row `dst` (ww columns, 2 words
 * each: x + offset unpacked), zeros outside the image (the taps the reference
 * skips: (x + offset) * w = 0), written twice: dst and dst + 3 rows. */
static void dsp_dw3_window_row(int32_t *dst, int32_t ww, const int8_t *in_b, int32_t y,
                               const TfmDepthwiseConv2DData *d, int32_t offset2) {
  int32_t *dup = dst + 3 * 2 * ww;
  const int32_t x_lo = -d->padding.width, ch = d->in_d;
  const bool in_y = y >= 0 && y < d->in_h;
  const int8_t *in_row = in_y ? in_b + y * d->in_w * ch : in_b; /* no pointer outside */
  for (int32_t i = 0; i < ww; ++i, dst += 2, dup += 2) {
    const int32_t x = x_lo + i;
    int32_t a = 0, b = 0;
    if (in_y && x >= 0 && x < d->in_w) {
      const int32_t v = dsp_load4(in_row + x * ch);
      a = dsp_ext02(offset2, v);
      b = dsp_ext13(offset2, v);
    }
    dst[0] = a, dst[1] = b, dup[0] = a, dup[1] = b;
  }
}

/* 3x3, no dilation, depth multiplier 1, the whole int8 range as activation
 * range: per group of 4 channels its constants on the stack (dsp_dw3_group),
 * its input rows unpacked once into a ring of 3 rows (each stored twice, so
 * that the 3 rows an output row reads are always contiguous: 6 x window_w x 8
 * bytes of scratch) and every output row on one dsp_dw3_run; the ch % 4 last
 * channels by dsp_dw_fixup. */
void dsp_dw3_layer(const TfmDepthwiseConv2DData *d, const int8_t *in,
                          const int8_t *filter, const int32_t *bias, int8_t *out,
                          int32_t *window) {
  const int32_t ch = d->in_d, row = d->in_w * ch, out_w = d->out_w, sw = d->stride_w;
  const int32_t ch4 = ch & ~3, ww = dsp_dw3_window_w(d);
  const int32_t offset2 = dsp_dup16(d->input_offset);
  for (int32_t c0 = 0; c0 < ch4; c0 += 4) {
    dsp_dw3_group gr;
    dsp_dw3_group_make(&gr, d, filter, bias, c0);
    void (*const run)(const dsp_dw3_args *) = gr.slow ? dsp_dw3_run_mixed : dsp_dw3_run;
    dsp_dw3_args a = {NULL, &gr, NULL, out_w, 8 * sw, ch, 8, 8 * ww, d->output_offset};
    for (int32_t b = 0; b < d->batches; ++b) {
      const int8_t *in_b = in + b * d->in_h * row + c0;
      int8_t *out_b = out + b * d->out_h * out_w * ch + c0;
      int32_t next = INT32_MIN; /* the first input row not in the ring yet */
      for (int32_t oy = 0; oy < d->out_h; ++oy) {
        const int32_t y0 = oy * d->stride_h - d->padding.height;
        for (int32_t y = next > y0 ? next : y0; y < y0 + 3; ++y) {
          const int32_t slot = ((y % 3) + 3) % 3;
          dsp_dw3_window_row(window + slot * 2 * ww, ww, in_b, y, d, offset2);
        }
        next = y0 + 3;
        a.x = (const int8_t *)(window + (((y0 % 3) + 3) % 3) * 2 * ww);
        a.out = out_b + oy * out_w * ch;
        run(&a);
      }
    }
  }
  for (int32_t c = ch4; c < ch; ++c) dsp_dw_fixup(d, in, filter, bias, out, c);
}

