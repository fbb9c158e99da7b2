/* TFLite's SymmetricQuantizeFloats / AsymmetricQuantizeFloats; see the header. */
#include "internal/hybrid_quant.h"

#include "internal/quant.h"

static double abs_d(double v) { return v < 0.0 ? -v : v; }

static void fill_zero(int8_t *q, int32_t n, float *scale, int32_t *zero_point) {
  for (int32_t i = 0; i < n; ++i) q[i] = 0;
  *scale = 1.0f;
  *zero_point = 0;
}

void tfm_hybrid_quantize_row(const float *x, int32_t n, bool asymmetric, int8_t *q, float *scale,
                             int32_t *zero_point) {
  float lo = n ? x[0] : 0.0f, hi = lo;
  for (int32_t i = 1; i < n; ++i) {
    if (x[i] < lo) lo = x[i];
    if (x[i] > hi) hi = x[i];
  }
  if (!asymmetric) {
    const float a = lo < 0.0f ? -lo : lo, b = hi < 0.0f ? -hi : hi;
    const float range = a > b ? a : b;
    if (range == 0.0f) {
      fill_zero(q, n, scale, zero_point);
      return;
    }
    *scale = range / 127.0f;
    *zero_point = 0;
    const float inv = 127.0f / range;
    for (int32_t i = 0; i < n; ++i) {
      const int32_t v = (int32_t)tfm_roundf(x[i] * inv);
      q[i] = (int8_t)tfm_clamp_i32(v, -127, 127);
    }
    return;
  }
  const double rmin = (double)(lo < 0.0f ? lo : 0.0f), rmax = (double)(hi > 0.0f ? hi : 0.0f);
  if (rmin == rmax) {
    fill_zero(q, n, scale, zero_point);
    return;
  }
  /* the range difference is a float one in LiteRT (a double one would round
   * differently; pinned by the hybrid tests) */
  const double s = (double)((float)rmax - (float)rmin) / 255.0;
  const double zp_from_min = -128.0 - rmin / s, zp_from_max = 127.0 - rmax / s;
  const double err_min = 128.0 + abs_d(rmin / s), err_max = 127.0 + abs_d(rmax / s);
  const double zp = err_min < err_max ? zp_from_min : zp_from_max;
  const int32_t nudged = zp <= -128.0 ? -128 : (zp >= 127.0 ? 127 : (int32_t)tfm_round(zp));
  *scale = (float)s;
  *zero_point = nudged;
  const float inv = 1.0f / *scale;
  for (int32_t i = 0; i < n; ++i) {
    const int32_t v = (int32_t)tfm_roundf((float)nudged + x[i] * inv);
    q[i] = (int8_t)tfm_clamp_i32(v, -128, 127);
  }
}
