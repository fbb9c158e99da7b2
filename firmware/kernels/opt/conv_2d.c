/* "opt" CONV_2D: replaces kernels/reference/conv_2d.c in kernel set "opt".
 *
 * Prepare, 16x8 and grouped convolutions are the shared ones of
 * common/conv_2d.h (the prepare takes its multipliers from the CONV_S8
 * offline record when the image has one). float32 with groups == 1 and the
 * filter's F32_BFP record runs in block floating point (opt_float.h), one
 * patch per output pixel; without the record, the reference eval.
 * int8 with groups == 1 runs here (exactness: opt_gemm.h):
 *  - 1x1, stride 1, no padding: a plain GEMM on the input, no im2col. Two
 *    or four output channels at a time (outer, opt_gemm.c's tile) run over
 *    all pixels two at a time; the
 *    input offset is folded into the channel's start value once
 *    (bias + offset * sum(w)), so the inner loop multiplies raw int8 values.
 *  - anything else: two pixels at a time are unrolled into an interleaved
 *    int16 column pair (offset added, padding 0; scratch of 4 * k bytes,
 *    k = fh * fw * in_d) and multiplied with two or four filter rows at a time. */
#include "common/conv_2d.h"
#include "common/ops.h"
#include "internal/quant.h"
#include "opt_float.h"
#include "opt_gemm.h"
#include "tfm/kernels.h"

static bool opt_conv_fast(const TfmConv2DData *d, const tfm_tensor *in) {
  return in->type == TFM_INT8 && d->groups == 1;
}

static bool opt_pointwise(const TfmConv2DData *d) {
  return d->filter_h == 1 && d->filter_w == 1 && d->stride_h == 1 && d->stride_w == 1 &&
         d->padding.height == 0 && d->padding.width == 0;
}

/* Float32, groups 1, with the filter's F32_BFP record (offline prep): block
 * floating point (opt_float.h); the column buffer holds one patch (k int32). */
static tfm_status opt_conv_float_prepare(tfm_context *ctx, tfm_node *node, TfmConv2DData *d) {
  const int32_t k = d->filter_h * d->filter_w * d->filter_d;
  if (d->groups != 1 || k > OPT_BFP_MAX_DEPTH) return TFM_OK;
  const void *rec = NULL;
  uint32_t size = 0;
  TFM_TRY(tfm_offline_data(ctx, node, TFM_OFFLINE_KIND_F32_BFP, &rec, &size));
  if (rec == NULL) return TFM_OK; /* converting the filter per pixel would not pay */
  const int32_t *r = (const int32_t *)rec;
  if (size != (uint32_t)(2 + d->out_d * (1 + k)) * 4u || r[0] != d->out_d || r[1] != k) {
    return tfm_fail(ctx, TFM_BAD_MODEL, "offline F32_BFP record of %lu B does not fit the "
                    "filter (%ld x %ld)", (unsigned long)size, (long)d->out_d, (long)k);
  }
  d->kernel_data = r + 2;
  return tfm_request_scratch(ctx, (size_t)k * sizeof(int32_t), &d->scratch_index);
}

static tfm_status opt_conv_prepare(tfm_context *ctx, tfm_node *node) {
  TFM_TRY(tfm_conv_2d_prepare(ctx, node));
  TfmConv2DData *d = (TfmConv2DData *)node->data;
  const tfm_tensor *in = tfm_input(ctx, node, 0);
  const tfm_tensor *filter = tfm_input(ctx, node, 1);
  if (OPT_BFP_ENABLED && in->type == TFM_FLOAT32 && (filter->flags & TFM_TENSOR_CONSTANT)) {
    return opt_conv_float_prepare(ctx, node, d);
  }
  if (!opt_conv_fast(d, tfm_input(ctx, node, 0)) || opt_pointwise(d)) return TFM_OK;
  const int32_t k = d->filter_h * d->filter_w * d->filter_d;
  return tfm_request_scratch(ctx, (size_t)k * 2 * sizeof(int16_t), &d->scratch_index);
}

static uint32_t row_base(const int8_t *w, int32_t k, const int32_t *bias, int32_t oc,
                         int32_t offset) {
  uint32_t sum = 0;
  for (int32_t j = 0; j < k; ++j) sum += (uint32_t)(int32_t)w[j];
  return (bias ? (uint32_t)bias[oc] : 0u) + sum * (uint32_t)offset;
}

static void opt_conv_pointwise(const TfmConv2DData *d, const int8_t *in, const int8_t *filter,
                               const int32_t *bias, int8_t *out) {
  const opt_out_params p = {d->multiplier, d->shift, d->output_offset, d->act_min, d->act_max};
  const int32_t k = d->in_d, n = d->out_d, wide = opt_gemm_rows();
  const int32_t pixels = d->batches * d->out_h * d->out_w;
  for (int32_t oc = 0; oc < n;) {
    const int32_t left = n - oc;
    const int32_t rows = left >= wide ? wide : (left >= 2 ? 2 : 1);
    uint32_t base[4] = {0, 0, 0, 0};
    for (int32_t r = 0; r < rows; ++r) {
      base[r] = row_base(filter + (oc + r) * k, k, bias, oc + r, d->input_offset);
    }
    for (int32_t px = 0; px < pixels; px += 2) {
      const bool two = px + 1 < pixels;
      const int8_t *x0 = in + px * k;
      int8_t *o = out + px * n + oc;
      opt_gemm_raw2(filter + oc * k, k, oc, rows, base, x0, two ? x0 + k : x0, &p, o,
                    two ? o + n : NULL, 1);
    }
    oc += rows;
  }
}

/* Unrolls the patch of output pixel (oy, ox) into slot `pixel` of `col`. */
static void opt_conv_im2col(const TfmConv2DData *d, const int8_t *in_b, int32_t oy, int32_t ox,
                            int16_t *col, int pixel) {
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
      opt_col_zero(col, pixel, row, fw * in_d);
      continue;
    }
    /* the first in-image tap (x0 may be negative: no pointer before the tensor) */
    const int8_t *src = in_b + (y * d->in_w + x0 + fx0 * d->dilation_w) * in_d;
    if (fx0 > 0) opt_col_zero(col, pixel, row, fx0 * in_d);
    if (d->dilation_w == 1) {
      opt_col_put(col, pixel, row + fx0 * in_d, src, (fx1 - fx0) * in_d, d->input_offset);
    } else {
      for (int32_t fx = fx0; fx < fx1; ++fx, src += d->dilation_w * in_d) {
        opt_col_put(col, pixel, row + fx * in_d, src, in_d, d->input_offset);
      }
    }
    if (fx1 < fw) opt_col_zero(col, pixel, row + fx1 * in_d, (fw - fx1) * in_d);
  }
}

static void opt_conv_s8(const TfmConv2DData *d, const int8_t *in, const int8_t *filter,
                        const int32_t *bias, int8_t *out, int16_t *col) {
  const opt_out_params p = {d->multiplier, d->shift, d->output_offset, d->act_min, d->act_max};
  const int32_t k = d->filter_h * d->filter_w * d->filter_d;
  const int32_t pixels = d->out_h * d->out_w;
  for (int32_t b = 0; b < d->batches; ++b) {
    const int8_t *in_b = in + b * d->in_h * d->in_w * d->in_d;
    int32_t oy = 0, ox = 0;
    for (int32_t px = 0; px < pixels; px += 2) {
      opt_conv_im2col(d, in_b, oy, ox, col, 0);
      int8_t *out_b = NULL;
      if (++ox == d->out_w) ox = 0, ++oy;
      if (px + 1 < pixels) {
        opt_conv_im2col(d, in_b, oy, ox, col, 1);
        out_b = out + d->out_d;
        if (++ox == d->out_w) ox = 0, ++oy;
      } else {
        opt_col_zero(col, 1, 0, k); /* keep the unused slot defined */
      }
      opt_gemm_col2(filter, k, d->out_d, col, bias, &p, out, out_b);
      out += (out_b ? 2 : 1) * d->out_d;
    }
  }
}

/* The float patch of output pixel (oy, ox) as raw float bits in col (padding taps
 * 0.0f), then in place in block floating point; false when a value is not finite. */
static bool opt_conv_patch_f32(const TfmConv2DData *d, const float *in_b, int32_t oy,
                               int32_t ox, int32_t *col, int32_t *emax) {
  const int32_t in_d = d->in_d, fw = d->filter_w, k = d->filter_h * fw * in_d;
  const int32_t y0 = oy * d->stride_h - d->padding.height;
  const int32_t x0 = ox * d->stride_w - d->padding.width;
  int32_t fx0, fx1;
  tfm_conv_tap_range(x0, d->dilation_w, d->in_w, fw, &fx0, &fx1);
  if (fx1 < fx0) fx1 = fx0;
  float *dst = (float *)(void *)col; /* same size and alignment as int32 */
  for (int32_t fy = 0; fy < d->filter_h; ++fy) {
    const int32_t y = y0 + fy * d->dilation_h;
    float *row = dst + fy * fw * in_d;
    for (int32_t i = 0; i < fw * in_d; ++i) row[i] = 0.0f;
    if (y < 0 || y >= d->in_h) continue;
    for (int32_t fx = fx0; fx < fx1; ++fx) {
      const float *src = in_b + (y * d->in_w + x0 + fx * d->dilation_w) * in_d;
      for (int32_t c = 0; c < in_d; ++c) row[fx * in_d + c] = src[c];
    }
  }
  if (!opt_bfp_exponent(dst, k, emax)) return false;
  opt_bfp_convert(dst, k, *emax, col); /* element j read before written */
  return true;
}

static bool opt_conv_f32(tfm_context *ctx, const TfmConv2DData *d, const float *in,
                         const float *bias, float *out) {
  const int32_t k = d->filter_h * d->filter_w * d->filter_d;
  int32_t *col = (int32_t *)tfm_scratch(ctx, d->scratch_index);
  const int32_t lo_key = opt_float_key(d->act_min_f), hi_key = opt_float_key(d->act_max_f);
  for (int32_t b = 0; b < d->batches; ++b) {
    const float *in_b = in + b * d->in_h * d->in_w * d->in_d;
    for (int32_t oy = 0; oy < d->out_h; ++oy) {
      for (int32_t ox = 0; ox < d->out_w; ++ox) {
        int32_t ex;
        if (!opt_conv_patch_f32(d, in_b, oy, ox, col, &ex)) return false;
        const int32_t *row = (const int32_t *)d->kernel_data;
        for (int32_t oc = 0; oc < d->out_d; ++oc, row += 1 + k) {
          const float total = opt_bfp_float(opt_bfp_dot(col, row + 1, k), ex + row[0]);
          *out++ = opt_clamp_f32(total + (bias ? bias[oc] : 0.0f), lo_key, d->act_min_f,
                                 hi_key, d->act_max_f);
        }
      }
    }
  }
  return true;
}

static tfm_status opt_conv_eval(tfm_context *ctx, tfm_node *node) {
  const TfmConv2DData *d = (const TfmConv2DData *)node->data;
  const tfm_tensor *in = tfm_input(ctx, node, 0);
  if (in->type == TFM_FLOAT32 && d->kernel_data != NULL) {
    const tfm_tensor *bias = node->num_inputs == 3 ? tfm_input(ctx, node, 2) : NULL;
    if (opt_conv_f32(ctx, d, (const float *)in->data, bias ? (const float *)bias->data : NULL,
                     (float *)tfm_output(ctx, node, 0)->data)) {
      return TFM_OK;
    }
  }
  if (!opt_conv_fast(d, in)) return tfm_conv_2d_eval_reference(ctx, node);
  const tfm_tensor *filter = tfm_input(ctx, node, 1);
  const tfm_tensor *bias = node->num_inputs == 3 ? tfm_input(ctx, node, 2) : NULL;
  tfm_tensor *out = tfm_output(ctx, node, 0);
  const int32_t *b = bias ? (const int32_t *)bias->data : NULL;
  if (opt_pointwise(d)) {
    opt_conv_pointwise(d, (const int8_t *)in->data, (const int8_t *)filter->data, b,
                       (int8_t *)out->data);
    return TFM_OK;
  }
  int16_t *col = (int16_t *)tfm_scratch(ctx, d->scratch_index);
  TFM_ENSURE(ctx, col != NULL);
  opt_conv_s8(d, (const int8_t *)in->data, (const int8_t *)filter->data, b, (int8_t *)out->data,
              col);
  return TFM_OK;
}

const tfm_kernel *tfm_register_conv_2d(void) {
  static const tfm_kernel kernel = TFM_BUILTIN_KERNEL(CONV_2D, opt_conv_prepare, opt_conv_eval);
  return &kernel;
}
