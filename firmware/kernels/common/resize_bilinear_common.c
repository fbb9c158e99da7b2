/* RESIZE_BILINEAR shared pieces: prepare and the reference eval (see
 * common/resize_bilinear.h). */
#include "common/resize_bilinear.h"

#include "common/shape_common.h"

tfm_status tfm_resize_bilinear_prepare(tfm_context *ctx, tfm_node *node) {
  TFM_TRY(tfm_shape_resize_prepare(ctx, node, true));
  if (tfm_opt_bool(node, 8, false) && tfm_opt_bool(node, 10, false)) {
    return tfm_fail(ctx, TFM_BAD_MODEL, "align_corners and half_pixel_centers both set");
  }
  return TFM_OK;
}

static void interp_f(int32_t v, float scale, bool half, int32_t size, float *s, int32_t *lo,
                     int32_t *hi) {
  *s = half ? ((float)v + 0.5f) * scale - 0.5f : (float)v * scale;
  const int32_t f = (int32_t)tfm_shape_floorf(*s);
  const int32_t c = (int32_t)tfm_shape_ceilf(*s);
  *lo = f > 0 ? f : 0;
  *hi = c < size - 1 ? c : size - 1;
}

static void interp_i(int32_t v, int32_t scale_10, bool half, int32_t size, int32_t *s,
                     int32_t *lo, int32_t *hi) {
  *s = half ? v * scale_10 + scale_10 / 2 - (1 << 9) : v * scale_10;
  const int32_t f = *s / (1 << 10);
  const int32_t c = (*s + (1 << 10) - 1) / (1 << 10);
  *lo = f > 0 ? f : 0;
  *hi = c < size - 1 ? c : size - 1;
}

static int32_t scale_10(int32_t in, int32_t out, bool align) {
  if (align && out > 1) return ((1 << 10) * (in - 1) + (out - 1) / 2) / (out - 1);
  return ((1 << 10) * in + out / 2) / out;
}

static float scale_f(int32_t in, int32_t out, bool align) {
  if (align && out > 1) return (float)(in - 1) / (float)(out - 1);
  return (float)in / (float)out;
}

static int64_t load(const tfm_tensor *t, size_t i) {
  return t->type == TFM_INT8 ? ((const int8_t *)t->data)[i] : ((const int16_t *)t->data)[i];
}

tfm_status tfm_resize_bilinear_eval_reference(tfm_context *ctx, tfm_node *node) {
  TFM_TRY(tfm_shape_resize_check_size(ctx, node));
  const tfm_tensor *in = tfm_input(ctx, node, 0);
  tfm_tensor *out = tfm_output(ctx, node, 0);
  const bool align = tfm_opt_bool(node, 8, false);
  const bool half = tfm_opt_bool(node, 10, false);
  const int32_t ih = in->dims[1], iw = in->dims[2], oh = out->dims[1], ow = out->dims[2];
  const int32_t ch = in->dims[3];
  size_t o = 0;
#define AT(b, y, x, c) ((((size_t)(b) * (size_t)ih + (size_t)(y)) * (size_t)iw + (size_t)(x)) * \
                        (size_t)ch + (size_t)(c))
  if (in->type == TFM_FLOAT32) {
    const float hs = scale_f(ih, oh, align), ws = scale_f(iw, ow, align);
    const float *src = (const float *)in->data;
    float *dst = (float *)out->data;
    for (int32_t b = 0; b < in->dims[0]; ++b) {
      for (int32_t y = 0; y < oh; ++y) {
        float fy;
        int32_t y0, y1;
        interp_f(y, hs, half, ih, &fy, &y0, &y1);
        const float dy = fy - (float)y0;
        for (int32_t x = 0; x < ow; ++x) {
          float fx;
          int32_t x0, x1;
          interp_f(x, ws, half, iw, &fx, &x0, &x1);
          const float dx = fx - (float)x0;
          for (int32_t c = 0; c < ch; ++c) {
            dst[o++] = src[AT(b, y0, x0, c)] * (1 - dy) * (1 - dx) +
                       src[AT(b, y1, x0, c)] * dy * (1 - dx) +
                       src[AT(b, y0, x1, c)] * (1 - dy) * dx + src[AT(b, y1, x1, c)] * dy * dx;
          }
        }
      }
    }
    return TFM_OK;
  }
  const int32_t hs = scale_10(ih, oh, align), ws = scale_10(iw, ow, align);
  for (int32_t b = 0; b < in->dims[0]; ++b) {
    for (int32_t y = 0; y < oh; ++y) {
      int32_t sy, y0, y1;
      interp_i(y, hs, half, ih, &sy, &y0, &y1);
      const int64_t wy1 = sy - (1 << 10) * y0, wy0 = (1 << 10) - wy1;
      for (int32_t x = 0; x < ow; ++x) {
        int32_t sx, x0, x1;
        interp_i(x, ws, half, iw, &sx, &x0, &x1);
        const int64_t wx1 = sx - (1 << 10) * x0, wx0 = (1 << 10) - wx1;
        for (int32_t c = 0; c < ch; ++c) {
          const int64_t acc = load(in, AT(b, y0, x0, c)) * wy0 * wx0 +
                              load(in, AT(b, y1, x0, c)) * wy1 * wx0 +
                              load(in, AT(b, y0, x1, c)) * wy0 * wx1 +
                              load(in, AT(b, y1, x1, c)) * wy1 * wx1;
          const int64_t round = acc > 0 ? (1 << 19) : -(1 << 19);
          const int64_t v = (acc + round) / (1 << 20);
          if (in->type == TFM_INT8) {
            ((int8_t *)out->data)[o++] = (int8_t)v;
          } else {
            ((int16_t *)out->data)[o++] = (int16_t)v;
          }
        }
      }
    }
  }
#undef AT
  return TFM_OK;
}
