/* arm-mve int8 matrix kernel (mve_gemm.h). */
#include "mve_gemm.h"

#include "common/conv_common.h"
#include "mve_dot.h"
#include "mve_rq.h"

void mve_gemm_corr(const int8_t *w, int32_t k, int32_t n_oc, const int32_t *bias,
                   int32_t input_offset, int32_t *corr) {
  for (int32_t oc = 0; oc < n_oc; ++oc, w += k) {
    const uint32_t sum = (uint32_t)mve_sum1(w, k, 0);
    corr[oc] = (int32_t)((uint32_t)(bias ? bias[oc] : 0) + sum * (uint32_t)input_offset);
  }
}

/* The last m = n_oc % 4 channels (from oc) of pixel x: one predicated vector. */
static void mve_gemm_tail(const int8_t *w, int32_t k, int32_t oc, int32_t m, const int8_t *x,
                          const mve_out_params *p, int8_t *out) {
  const mve_pred16_t lanes = vctp32q((uint32_t)m);
  const mve_rq4 q = mve_rq4_make(vldrwq_z_s32(p->multiplier + oc, lanes),
                                 vldrbq_z_s32(p->shift + oc, lanes));
  int32_t t[4] = {0, 0, 0, 0};
  for (int32_t i = 0; i < m; ++i) t[i] = mve_dot1(w + (oc + i) * k, x, k, p->corr[oc + i]);
  vstrbq_p_s32(out + oc, mve_rq4_out(&q, vldrwq_s32(t), p->out_offset, p->act_min, p->act_max),
               lanes);
}

/* Few pixels (im2col columns): pixels outside, channel groups inside. */
static void mve_gemm_few(const int8_t *w, int32_t k, int32_t n_oc, const int8_t *x,
                         int32_t x_stride, int32_t n_px, const mve_out_params *p, int8_t *out,
                         int32_t out_stride) {
  const int32_t full = n_oc & ~3;
  const int32_t out_offset = p->out_offset, act_min = p->act_min, act_max = p->act_max;
  const int32_t *corr = p->corr;
  int32_t px = 0;
  for (; px + 2 <= n_px; px += 2, x += 2 * x_stride, out += 2 * out_stride) {
    const int8_t *xb = x + x_stride;
    int8_t *ob = out + out_stride;
    const int8_t *wr = w;
    for (int32_t oc = 0; oc < full; oc += 4, wr += 4 * k) {
      int32_t a0 = corr[oc], a1 = corr[oc + 1], a2 = corr[oc + 2], a3 = corr[oc + 3];
      int32_t b0 = a0, b1 = a1, b2 = a2, b3 = a3;
      mve_dot2x2(wr, wr + k, x, xb, k, &a0, &a1, &b0, &b1);
      mve_dot2x2(wr + 2 * k, wr + 3 * k, x, xb, k, &a2, &a3, &b2, &b3);
      const mve_rq4 q = mve_rq4_make(vldrwq_s32(p->multiplier + oc), vldrbq_s32(p->shift + oc));
      vstrbq_s32(out + oc, mve_rq4_out(&q, mve_vec4(a0, a1, a2, a3), out_offset, act_min,
                                       act_max));
      vstrbq_s32(ob + oc, mve_rq4_out(&q, mve_vec4(b0, b1, b2, b3), out_offset, act_min,
                                      act_max));
    }
    if (full < n_oc) {
      mve_gemm_tail(w, k, full, n_oc - full, x, p, out);
      mve_gemm_tail(w, k, full, n_oc - full, xb, p, ob);
    }
  }
  if (px < n_px) {
    const int8_t *wr = w;
    for (int32_t oc = 0; oc < full; oc += 4, wr += 4 * k) {
      int32_t a[4] = {corr[oc], corr[oc + 1], corr[oc + 2], corr[oc + 3]};
      mve_dot4x1(wr, k, x, k, a);
      const mve_rq4 q = mve_rq4_make(vldrwq_s32(p->multiplier + oc), vldrbq_s32(p->shift + oc));
      vstrbq_s32(out + oc, mve_rq4_out(&q, vldrwq_s32(a), out_offset, act_min, act_max));
    }
    if (full < n_oc) mve_gemm_tail(w, k, full, n_oc - full, x, p, out);
  }
}

/* Channels oc..oc+3 of n_px pixels (many: the group's parameters stay put). */
static inline __attribute__((always_inline)) void mve_gemm_group(
    const int8_t *w, int32_t k, int32_t oc, const int8_t *x, int32_t x_stride, int32_t n_px,
    const mve_out_params *p, const mve_rq4 *q, int8_t *out, int32_t out_stride,
    const bool right) {
  const int32_t out_offset = p->out_offset, act_min = p->act_min, act_max = p->act_max;
  const int32_t *corr = p->corr;
  const int32_t c0 = corr[oc], c1 = corr[oc + 1], c2 = corr[oc + 2], c3 = corr[oc + 3];
  const int8_t *w0 = w + oc * k, *w2 = w0 + 2 * k;
  const int8_t *xa = x;
  int8_t *oa = out + oc;
  int32_t px = 0;
  for (; px + 2 <= n_px; px += 2, xa += 2 * x_stride, oa += 2 * out_stride) {
    int32_t a0 = c0, a1 = c1, a2 = c2, a3 = c3, b0 = c0, b1 = c1, b2 = c2, b3 = c3;
    mve_dot2x2(w0, w0 + k, xa, xa + x_stride, k, &a0, &a1, &b0, &b1);
    mve_dot2x2(w2, w2 + k, xa, xa + x_stride, k, &a2, &a3, &b2, &b3);
    vstrbq_s32(oa, MVE_RQ4_OUT(right, q, mve_vec4(a0, a1, a2, a3), out_offset, act_min,
                               act_max));
    vstrbq_s32(oa + out_stride, MVE_RQ4_OUT(right, q, mve_vec4(b0, b1, b2, b3), out_offset,
                                            act_min, act_max));
  }
  if (px < n_px) {
    int32_t a[4] = {c0, c1, c2, c3};
    mve_dot4x1(w0, k, xa, k, a);
    vstrbq_s32(oa, MVE_RQ4_OUT(right, q, vldrwq_s32(a), out_offset, act_min, act_max));
  }
}

void mve_gemm_s8(const int8_t *w, int32_t k, int32_t n_oc, const int8_t *x, int32_t x_stride,
                 int32_t n_px, const mve_out_params *p, int8_t *out, int32_t out_stride) {
  if (n_px <= 4) {
    mve_gemm_few(w, k, n_oc, x, x_stride, n_px, p, out, out_stride);
    return;
  }
  const int32_t full = n_oc & ~3;
  /* channel groups outside, pixels inside: the group's rescale, corrections
   * and weight rows stay put while the pixels stream by */
  for (int32_t oc = 0; oc < full; oc += 4) {
    const mve_rq4 q = mve_rq4_make(vldrwq_s32(p->multiplier + oc), vldrbq_s32(p->shift + oc));
    if (mve_rq4_all_right(&q)) {
      mve_gemm_group(w, k, oc, x, x_stride, n_px, p, &q, out, out_stride, true);
    } else {
      mve_gemm_group(w, k, oc, x, x_stride, n_px, p, &q, out, out_stride, false);
    }
  }
  if (full < n_oc) {
    for (int32_t px = 0; px < n_px; ++px) {
      mve_gemm_tail(w, k, full, n_oc - full, x + px * x_stride, p, out + px * out_stride);
    }
  }
}

/* The patch of output pixel (oy, ox) into col (k bytes, in filter order):
 * per filter row, the in-image taps are one contiguous copy when the
 * dilation is 1. */
static void mve_im2col(const tfm_conv_data *d, const int8_t *in_b, int32_t oy, int32_t ox,
                       int8_t *col) {
  const int32_t in_d = d->in_d, fw = d->filter_w;
  const int8_t pad = (int8_t)(-d->input_offset); /* the zero point */
  const int32_t y0 = oy * d->stride_h - d->padding.height;
  const int32_t x0 = ox * d->stride_w - d->padding.width;
  if (d->dilation_w == 1 && y0 >= 0 && x0 >= 0 &&
      y0 + (d->filter_h - 1) * d->dilation_h < d->in_h && x0 + fw <= d->in_w) {
    /* the whole window in the image: one copy per filter row */
    const int8_t *src = in_b + (y0 * d->in_w + x0) * in_d;
    const int32_t n = fw * in_d, step = d->dilation_h * d->in_w * in_d;
    if (n == 4) { /* one word per row (micro_speech / DS-CNN first layers) */
      for (int32_t fy = 0; fy < d->filter_h; ++fy, col += 4, src += step) {
        __builtin_memcpy(col, src, 4);
      }
      return;
    }
    for (int32_t fy = 0; fy < d->filter_h; ++fy, col += n, src += step) mve_copy(col, src, n);
    return;
  }
  /* a border pixel: all padding first (one fill), then the in-image spans */
  mve_fill(col, pad, d->filter_h * fw * in_d);
  int32_t fx0, fx1;
  tfm_conv_tap_range(x0, d->dilation_w, d->in_w, fw, &fx0, &fx1);
  if (fx1 <= fx0) return;
  for (int32_t fy = 0; fy < d->filter_h; ++fy, col += fw * in_d) {
    const int32_t y = y0 + fy * d->dilation_h;
    if (y < 0 || y >= d->in_h) continue;
    const int8_t *row = in_b + y * d->in_w * in_d;
    if (d->dilation_w == 1) {
      mve_copy(col + fx0 * in_d, row + (x0 + fx0) * in_d, (fx1 - fx0) * in_d);
    } else {
      for (int32_t fx = fx0; fx < fx1; ++fx) {
        mve_copy(col + fx * in_d, row + (x0 + fx * d->dilation_w) * in_d, in_d);
      }
    }
  }
}

/* Implicit GEMM for pixels whose whole window lies in the image (dilation_w
 * 1): the patch of a pixel is fh contiguous input runs of seg = fw * in_d
 * bytes, one per filter row, so the dot products run on the input directly
 * (no im2col copy), one loop per filter row (mve_dot2x2_runs). Output pixels
 * ox0..ox1-1 of the row whose first window row is y0 (in the image). Taken
 * when seg is a multiple of 16 (ResNet-style 3x3 over 16k channels). */
static inline __attribute__((always_inline)) void mve_direct_group(
    const tfm_conv_data *d, const int8_t *x_first, int32_t n_px, const int8_t *w0, int32_t oc,
    const mve_out_params *p, const mve_rq4 *q, int8_t *out, const bool right) {
  const int32_t seg = d->filter_w * d->in_d, k = d->filter_h * seg, out_d = d->out_d;
  const int32_t rstep = d->dilation_h * d->in_w * d->in_d, xstep = d->stride_w * d->in_d;
  const int32_t *corr = p->corr;
  const int32_t c0 = corr[oc], c1 = corr[oc + 1], c2 = corr[oc + 2], c3 = corr[oc + 3];
  const int8_t *xa = x_first;
  int8_t *oa = out + oc;
  int32_t px = 0;
  for (; px + 2 <= n_px; px += 2, xa += 2 * xstep, oa += 2 * out_d) {
    int32_t a0 = c0, a1 = c1, a2 = c2, a3 = c3, b0 = c0, b1 = c1, b2 = c2, b3 = c3;
    mve_dot2x2_runs(w0, w0 + k, xa, xa + xstep, seg, d->filter_h, rstep - seg, &a0, &a1, &b0,
                    &b1);
    mve_dot2x2_runs(w0 + 2 * k, w0 + 3 * k, xa, xa + xstep, seg, d->filter_h, rstep - seg, &a2,
                    &a3, &b2, &b3);
    vstrbq_s32(oa, MVE_RQ4_OUT(right, q, mve_vec4(a0, a1, a2, a3), p->out_offset, p->act_min,
                               p->act_max));
    vstrbq_s32(oa + out_d, MVE_RQ4_OUT(right, q, mve_vec4(b0, b1, b2, b3), p->out_offset,
                                       p->act_min, p->act_max));
  }
  if (px < n_px) {
    int32_t a[4] = {c0, c1, c2, c3};
    const int8_t *xr = xa, *wr = w0;
    for (int32_t fy = 0; fy < d->filter_h; ++fy, xr += rstep, wr += seg) {
      mve_dot4x1(wr, k, xr, seg, a);
    }
    vstrbq_s32(oa, MVE_RQ4_OUT(right, q, vldrwq_s32(a), p->out_offset, p->act_min, p->act_max));
  }
}

static MVE_NOINLINE void mve_conv_direct(const tfm_conv_data *d, const int8_t *x_first,
                                         int32_t n_px, const int8_t *w, const mve_out_params *p,
                                         int8_t *out) {
  const int32_t seg = d->filter_w * d->in_d, k = d->filter_h * seg, out_d = d->out_d;
  const int32_t rstep = d->dilation_h * d->in_w * d->in_d, xstep = d->stride_w * d->in_d;
  const int32_t full = out_d & ~3;
  for (int32_t oc = 0; oc < full; oc += 4) {
    const mve_rq4 q = mve_rq4_make(vldrwq_s32(p->multiplier + oc), vldrbq_s32(p->shift + oc));
    if (mve_rq4_all_right(&q)) {
      mve_direct_group(d, x_first, n_px, w + oc * k, oc, p, &q, out, true);
    } else {
      mve_direct_group(d, x_first, n_px, w + oc * k, oc, p, &q, out, false);
    }
  }
  if (full == out_d) return;
  /* the last out_d % 4 channels: one predicated vector per pixel */
  const int32_t m = out_d - full;
  const mve_pred16_t lanes = vctp32q((uint32_t)m);
  const mve_rq4 q = mve_rq4_make(vldrwq_z_s32(p->multiplier + full, lanes),
                                 vldrbq_z_s32(p->shift + full, lanes));
  for (int32_t px = 0; px < n_px; ++px, x_first += xstep, out += out_d) {
    int32_t t[4] = {0, 0, 0, 0};
    for (int32_t i = 0; i < m; ++i) {
      int32_t acc = p->corr[full + i];
      const int8_t *xr = x_first, *wr = w + (full + i) * k;
      for (int32_t fy = 0; fy < d->filter_h; ++fy, xr += rstep, wr += seg) {
        acc = mve_dot1(wr, xr, seg, acc);
      }
      t[i] = acc;
    }
    vstrbq_p_s32(out + full, mve_rq4_out(&q, vldrwq_s32(t), p->out_offset, p->act_min,
                                         p->act_max), lanes);
  }
}

/* Output pixels px0..px1-1 of image row oy through im2col batches. */
static void mve_cols_range(const tfm_conv_data *d, const int8_t *in_b, int32_t oy, int32_t px0,
                           int32_t px1, const int8_t *w, const mve_out_params *p, int8_t *col,
                           int8_t *out_row) {
  const int32_t k = d->filter_h * d->filter_w * d->filter_d, batch = mve_cols_pixels(k);
  for (int32_t ox = px0; ox < px1; ox += batch) {
    const int32_t n = px1 - ox < batch ? px1 - ox : batch;
    for (int32_t i = 0; i < n; ++i) mve_im2col(d, in_b, oy, ox + i, col + i * k);
    mve_gemm_s8(w, k, d->out_d, col, k, n, p, out_row + ox * d->out_d, d->out_d);
  }
}

void mve_conv_cols(const tfm_conv_data *d, const int8_t *in, const int8_t *w,
                   const mve_out_params *p, int8_t *col, int8_t *out) {
  const int32_t in_image = d->in_h * d->in_w * d->in_d, out_row = d->out_w * d->out_d;
  const int32_t sw = d->stride_w, pw = d->padding.width, fw = d->filter_w;
  /* implicit GEMM when each filter row is one run of whole vectors */
  const bool direct = d->dilation_w == 1 && (fw * d->in_d) % 16 == 0;
  int32_t ox0 = (pw + sw - 1) / sw; /* first column with x0 >= 0 */
  int32_t ox1 = d->in_w - fw + pw >= 0 ? (d->in_w - fw + pw) / sw + 1 : 0;
  if (ox1 > d->out_w) ox1 = d->out_w;
  if (ox0 > ox1) ox0 = ox1;
  for (int32_t b = 0; b < d->batches; ++b) {
    const int8_t *in_b = in + b * in_image;
    for (int32_t oy = 0; oy < d->out_h; ++oy, out += out_row) {
      const int32_t y0 = oy * d->stride_h - d->padding.height;
      const bool rows_in = y0 >= 0 && y0 + (d->filter_h - 1) * d->dilation_h < d->in_h;
      if (!direct || !rows_in || ox0 >= ox1) {
        mve_cols_range(d, in_b, oy, 0, d->out_w, w, p, col, out);
        continue;
      }
      mve_cols_range(d, in_b, oy, 0, ox0, w, p, col, out);
      mve_conv_direct(d, in_b + (y0 * d->in_w + ox0 * sw - pw) * d->in_d, ox1 - ox0, w, p,
                      out + ox0 * d->out_d);
      mve_cols_range(d, in_b, oy, ox1, d->out_w, w, p, col, out);
    }
  }
}
