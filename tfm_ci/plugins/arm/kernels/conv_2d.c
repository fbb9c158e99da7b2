/* arm-dsp CONV_2D: replaces kernels/reference/conv_2d.c in kernel set "arm-dsp".
 *
 * Prepare, float32, 16x8 and grouped int8 convolutions are the shared
 * ones of common/conv_2d.h (tfm_conv_2d_prepare, tfm_conv_2d_eval_reference,
 * TfmConv2DData). int8 with groups == 1 runs here: DSP_PIX (3) output pixels
 * at a time are unrolled into a column block (int16, input offset added,
 * arm_dsp.h; a 1x1 stride-1 unpadded filter is a plain GEMM: the block is
 * the input pixels themselves) and multiplied with every filter row by
 * SMLAD: the assembly dsp_gemm3_s8 when every channel is on the fast rescale
 * and the activation range is the whole int8 range, dsp_matb otherwise; with
 * the filter as int16 in flash (the offline prep record CONV_W16, arm_dsp.h:
 * embedded images, within the board's flash budget) dsp_gemm3_w16 for every
 * channel. Inputs of 1 to 3 channels take the strip path (dsp_conv_strip.c).
 * Scratch (TfmConv2DData.scratch_index, unused by the reference CONV_2D):
 * the block, 6 bytes per position of k = fh * fw * in_d rounded up to 4, and
 * 8 bytes per output channel (+ the strip path's part, dsp_conv.h).
 * TfmConv2DData.kernel_data: the CONV_W16 rows, or NULL. Bit-exact: see
 * arm_dsp.h and dsp_rqf.h. */
#include "dsp_conv.h"
#include "common/ops.h"
#include "tfm/kernels.h"

static bool dsp_conv_fast(const TfmConv2DData *d, const tfm_tensor *in) {
  return in->type == TFM_INT8 && d->groups == 1;
}

/* The per-channel words of a CONV_W16 stream equal this layer's bias and
 * fast rescale (dsp_rqf.h). */
static bool dsp_w16_matches(const TfmConv2DData *d, const int32_t *w, const int32_t *bias,
                            int32_t kc) {
  for (int32_t c = 0; c < d->out_d; ++c, w += 4 + kc / 2) {
    const int32_t *r = w + 1 + kc / 2, m = d->multiplier[c];
    const int s = dsp_rqf_shift(m, d->shift[c]);
    if (w[0] != bias[c] || !dsp_rqf_ok(m, s) || r[0] != m || r[1] != dsp_rqf_sh(s) ||
        r[2] != dsp_rqf_khi(s, d->output_offset)) {
      return false;
    }
  }
  return true;
}

static tfm_status dsp_conv_prepare(tfm_context *ctx, tfm_node *node) {
  TFM_TRY(tfm_conv_2d_prepare(ctx, node));
  TfmConv2DData *d = (TfmConv2DData *)node->data;
  if (!dsp_conv_fast(d, tfm_input(ctx, node, 0))) return TFM_OK;
  const int32_t k = d->filter_h * d->filter_w * d->filter_d;
  /* the column block, then the per-channel table of dsp_gemm3_s8 */
  const size_t bytes = (size_t)dsp_colb_bytes(k) + (size_t)d->out_d * sizeof(dsp_gemm_row) +
                       (size_t)dsp_conv_strip_scratch(d);
  /* the filter as int16 from flash, when the build made the record: checked
   * against the layer (a record made for other data fails prepare) */
  const void *rec = NULL;
  uint32_t size = 0;
  const bool strip = dsp_conv_strip_scratch(d) > 0; /* its rows in the strip's order */
  TFM_TRY(tfm_offline_data(ctx, node,
                           strip ? DSP_OFFLINE_KIND_CONV_W16_STRIP : DSP_OFFLINE_KIND_CONV_W16,
                           &rec, &size));
  const int32_t kc = dsp_colb_k(k);
  if (rec != NULL) {
    const int32_t *words = (const int32_t *)rec;
    const tfm_tensor *bias = node->num_inputs == 3 ? tfm_input(ctx, node, 2) : NULL;
    const uint32_t want = 4u * (uint32_t)DSP_W16_WORDS(d->out_d, kc);
    if (size != want || words[0] != d->out_d || words[1] != kc || bias == NULL ||
        bias->data == NULL || !dsp_w16_matches(d, words + 2, (const int32_t *)bias->data, kc)) {
      return tfm_fail(ctx, TFM_BAD_MODEL, "offline CONV_W16 record malformed: %lu B, for "
                      "%ld channels x %ld expected %lu B with this layer's bias and rescale",
                      (unsigned long)size, (long)d->out_d, (long)kc, (unsigned long)want);
    }
    d->kernel_data = words + 2;
  }
  return tfm_request_scratch(ctx, bytes, &d->scratch_index);
}

/* Unrolls the patch of output pixel (oy, ox) into pixel slot q of `col`. */
static void dsp_conv_im2col(const TfmConv2DData *d, const int8_t *in_b, int32_t oy, int32_t ox,
                            int16_t *col, int q) {
  const int32_t in_d = d->in_d, fw = d->filter_w;
  const int32_t y0 = oy * d->stride_h - d->padding.height;
  const int32_t x0 = ox * d->stride_w - d->padding.width;
  int32_t fx0, fx1;
  tfm_conv_tap_range(x0, d->dilation_w, d->in_w, fw, &fx0, &fx1);
  if (fx1 < fx0) fx1 = fx0;
  for (int32_t fy = 0; fy < d->filter_h; ++fy) {
    const int32_t y = y0 + fy * d->dilation_h;
    const int32_t row = fy * fw * in_d;
    if (y < 0 || y >= d->in_h || fx0 == fx1) {
      dsp_colb_zero(col, q, row, fw * in_d);
      continue;
    }
    /* the first in-image tap (x0 may be negative: no pointer before the tensor) */
    const int8_t *src = in_b + (y * d->in_w + x0 + fx0 * d->dilation_w) * in_d;
    if (fx0 > 0) dsp_colb_zero(col, q, row, fx0 * in_d);
    if (d->dilation_w == 1) {
      dsp_colb_put(col, q, row + fx0 * in_d, src, (fx1 - fx0) * in_d, d->input_offset);
    } else {
      for (int32_t fx = fx0; fx < fx1; ++fx, src += d->dilation_w * in_d) {
        dsp_colb_put(col, q, row + fx * in_d, src, in_d, d->input_offset);
      }
    }
    if (fx1 < fw) dsp_colb_zero(col, q, row + fx1 * in_d, (fw - fx1) * in_d);
  }
}

/* n bytes from src to dst, a word at a time (unaligned LDR / STR): the
 * patch rows are short, a memcpy call would cost more than the copy. */
static inline void dsp_copy_bytes(int8_t *dst, const int8_t *src, int32_t n) {
  int32_t i = 0;
  for (; i + 4 <= n; i += 4) {
    const int32_t v = dsp_load4(src + i);
    __builtin_memcpy(dst + i, &v, sizeof v);
  }
  for (; i < n; ++i) dst[i] = src[i];
}

/* The patch of a pixel with taps outside the image (those hold zp). */
static void dsp_conv_patch_edge(const TfmConv2DData *d, const int8_t *in_b, int32_t y0,
                                int32_t x0, int8_t *patch, int8_t zp) {
  const int32_t in_d = d->in_d, fw = d->filter_w, run = fw * in_d;
  int32_t fx0, fx1;
  tfm_conv_tap_range(x0, d->dilation_w, d->in_w, fw, &fx0, &fx1);
  if (fx1 < fx0) fx1 = fx0;
  for (int32_t fy = 0; fy < d->filter_h; ++fy) {
    int8_t *dst = patch + fy * run;
    const int32_t y = y0 + fy * d->dilation_h;
    if (y < 0 || y >= d->in_h || fx0 == fx1) {
      for (int32_t i = 0; i < run; ++i) dst[i] = zp;
      continue;
    }
    for (int32_t i = 0; i < fx0 * in_d; ++i) dst[i] = zp;
    const int8_t *src = in_b + (y * d->in_w + x0 + fx0 * d->dilation_w) * in_d;
    if (d->dilation_w == 1) {
      dsp_copy_bytes(dst + fx0 * in_d, src, (fx1 - fx0) * in_d);
    } else {
      for (int32_t fx = fx0; fx < fx1; ++fx, src += d->dilation_w * in_d) {
        dsp_copy_bytes(dst + fx * in_d, src, in_d);
      }
    }
    for (int32_t i = fx1 * in_d; i < run; ++i) dst[i] = zp;
  }
}

/* The patch of output pixel (oy, ox) gathered as int8 (padding taps and the
 * positions from k to kc hold the input zero point, i.e. x + offset = 0) into
 * `patch`, then unpacked 4 at a time into slot q of `col`: for input depths
 * that are not multiples of 4, where dsp_colb_put would go value by value. */
static void dsp_conv_im2col_bytes(const TfmConv2DData *d, const int8_t *in_b, int32_t oy,
                                  int32_t ox, int16_t *col, int q, int8_t *patch, int32_t kc) {
  const int32_t in_d = d->in_d, fw = d->filter_w, run = fw * in_d;
  const int8_t zp = (int8_t)(-d->input_offset);
  const int32_t y0 = oy * d->stride_h - d->padding.height;
  const int32_t x0 = ox * d->stride_w - d->padding.width;
  if (y0 >= 0 && y0 + (d->filter_h - 1) * d->dilation_h < d->in_h && x0 >= 0 &&
      x0 + fw - 1 < d->in_w && d->dilation_w == 1) { /* every tap in the image */
    const int8_t *src = in_b + (y0 * d->in_w + x0) * in_d;
    const int32_t step = d->dilation_h * d->in_w * in_d;
    for (int32_t fy = 0; fy < d->filter_h; ++fy, src += step) {
      dsp_copy_bytes(patch + fy * run, src, run);
    }
  } else {
    dsp_conv_patch_edge(d, in_b, y0, x0, patch, zp);
  }
  for (int32_t i = d->filter_h * run; i < kc; ++i) patch[i] = zp;
  const int32_t offset2 = dsp_dup16(d->input_offset);
  dsp_word *out = (dsp_word *)(col + 4 * q);
  for (int32_t p = 0; p < kc; p += 4, out += 2 * DSP_PIX) {
    const int32_t v = dsp_load4(patch + p);
    out[0] = dsp_ext02(offset2, v);
    out[1] = dsp_ext13(offset2, v);
  }
}

/* DSP_PIX output pixels at a time: their patches into a column block
 * (directly from the input pixels for a 1x1 stride-1 unpadded filter), then
 * dsp_gemm3_s8 (or dsp_matb) over every output channel. */
static void dsp_conv_s8(const TfmConv2DData *d, const int8_t *in, const int8_t *filter,
                        const int32_t *bias, int8_t *out, uint8_t *scratch,
                        const int8_t *w16) {
  const dsp_out_params p = {bias, d->multiplier, d->shift, d->output_offset, d->act_min,
                            d->act_max};
  const int32_t k = d->filter_h * d->filter_w * d->filter_d;
  const int32_t pixels = d->out_h * d->out_w, out_d = d->out_d;
  int16_t *col = (int16_t *)scratch;
  dsp_gemm_row *table = (dsp_gemm_row *)(scratch + dsp_colb_bytes(k));
  const int32_t kc = dsp_colb_k(k);
  const bool fast = dsp_gemm_table(table, out_d, &p);
  /* k % 4 != 0: rows k apart, the last channel on dsp_matb (its last group
   * would read past the filter) */
  const bool aligned = kc == k;
  const int32_t n_asm = aligned ? out_d : out_d - 1;
  dsp_gemm_args ga = {filter, table, col, NULL, n_asm, kc >> 2, out_d, bias, k};
  const bool pointwise = aligned && d->filter_h == 1 && d->filter_w == 1 && d->stride_h == 1 &&
                         d->stride_w == 1 && d->padding.height == 0 && d->padding.width == 0;
  const dsp_out_params p_last = {bias ? bias + n_asm : NULL, d->multiplier + n_asm,
                                 d->shift + n_asm, d->output_offset, d->act_min, d->act_max};
  if (!aligned) { /* positions k..kc of every pixel stay 0 */
    for (int q = 0; q < DSP_PIX; ++q) dsp_colb_zero(col, q, k, kc - k);
  }
  /* small patches of depths that are not multiples of 4: gathered as bytes on
   * the stack first (at most 256 of them) */
  int8_t patch[256];
  const bool bytes_im2col = (d->in_d & 3) != 0 && kc <= (int32_t)sizeof patch;
  /* the last filter row padded to kc on the stack: dsp_gemm3_s8_k reads
   * whole groups, which must not run past the filter */
  int8_t last_row[256];
  const bool last_copy = fast && !aligned && kc <= (int32_t)sizeof last_row;
  dsp_gemm_args ga_last = ga;
  if (last_copy) {
    __builtin_memcpy(last_row, filter + n_asm * k, (size_t)k);
    for (int32_t i = k; i < kc; ++i) last_row[i] = 0;
    ga_last.w = last_row;
    ga_last.table = table + n_asm;
    ga_last.n_oc = 1;
    ga_last.bias = bias + n_asm;
  }
  for (int32_t b = 0; b < d->batches; ++b) {
    const int8_t *in_b = in + b * d->in_h * d->in_w * d->in_d;
    for (int32_t px = 0; px < pixels;) {
      int32_t n = pixels - px < DSP_PIX ? pixels - px : DSP_PIX;
      if (fast && n < DSP_PIX && pixels >= DSP_PIX) { /* the last block again, whole */
        px = pixels - DSP_PIX;
        n = DSP_PIX;
      }
      int8_t *const o = out + px * out_d;
      if (pointwise) { /* a pixel's patch is its input pixel */
        dsp_colb_pointwise(col, in_b + px * k, k, n, d->input_offset);
      } else {
        int32_t oy = px / d->out_w, ox = px % d->out_w;
        for (int q = 0; q < DSP_PIX; ++q) {
          if (q < n && bytes_im2col) {
            dsp_conv_im2col_bytes(d, in_b, oy, ox, col, q, patch, kc);
            if (++ox == d->out_w) ox = 0, ++oy;
          } else if (q < n) {
            dsp_conv_im2col(d, in_b, oy, ox, col, q);
            if (++ox == d->out_w) ox = 0, ++oy;
          } else {
            dsp_colb_zero(col, q, 0, k); /* keep the unused slots defined */
          }
        }
      }
      if (fast && n == DSP_PIX && w16 != NULL) { /* every channel, rows padded to kc */
        dsp_gemm_args gw = ga;
        gw.w = w16; /* the channel stream */
        gw.n_oc = out_d;
        gw.out = o;
        dsp_gemm3_w16(&gw);
      } else if (fast && n == DSP_PIX) {
        ga.out = o;
        if (aligned) {
          dsp_gemm3_s8(&ga);
        } else {
          if (n_asm > 0) dsp_gemm3_s8_k(&ga);
          if (last_copy) {
            ga_last.out = o + n_asm;
            dsp_gemm3_s8(&ga_last);
          } else {
            dsp_matb(filter + n_asm * k, k, 1, col, &p_last, o + n_asm, n, out_d);
          }
        }
      } else {
        dsp_matb(filter, k, out_d, col, &p, o, n, out_d);
      }
      px += n;
    }
    out += pixels * out_d;
  }
}

static tfm_status dsp_conv_eval(tfm_context *ctx, tfm_node *node) {
  const TfmConv2DData *d = (const TfmConv2DData *)node->data;
  const tfm_tensor *in = tfm_input(ctx, node, 0);
  if (!dsp_conv_fast(d, in)) return tfm_conv_2d_eval_reference(ctx, node);
  const tfm_tensor *filter = tfm_input(ctx, node, 1);
  const tfm_tensor *bias = node->num_inputs == 3 ? tfm_input(ctx, node, 2) : NULL;
  tfm_tensor *out = tfm_output(ctx, node, 0);
  uint8_t *scratch = (uint8_t *)tfm_scratch(ctx, d->scratch_index);
  TFM_ENSURE(ctx, scratch != NULL);
  if (dsp_conv_strip_scratch(d) > 0) {
    dsp_conv_strip(d, (const int8_t *)in->data, (const int8_t *)filter->data,
                   bias ? (const int32_t *)bias->data : NULL, (int8_t *)out->data, scratch,
                   (const int8_t *)d->kernel_data);
    return TFM_OK;
  }
  dsp_conv_s8(d, (const int8_t *)in->data, (const int8_t *)filter->data,
              bias ? (const int32_t *)bias->data : NULL, (int8_t *)out->data, scratch,
              (const int8_t *)d->kernel_data);
  return TFM_OK;
}

const tfm_kernel *tfm_register_conv_2d(void) {
  static const tfm_kernel kernel = TFM_BUILTIN_KERNEL(CONV_2D, dsp_conv_prepare, dsp_conv_eval);
  return &kernel;
}
