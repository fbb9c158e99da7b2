/* Block floating point for float32 kernels on FPU-less cores (opt_float.h). */
#include "opt_float.h"

/* Type punning through a union (C99 TC3): a memcpy here is a call under
 * -ffreestanding. */
typedef union {
  float f;
  uint32_t u;
} opt_fbits;

static uint32_t f2u(float f) {
  opt_fbits b;
  b.f = f;
  return b.u;
}

static float u2f(uint32_t u) {
  opt_fbits b;
  b.u = u;
  return b.f;
}

bool opt_bfp_exponent(const float *v, int32_t n, int32_t *emax) {
  uint32_t top = 1;
  for (int32_t j = 0; j < n; ++j) {
    const uint32_t e = (f2u(v[j]) >> 23) & 0xffu;
    if (e > top) top = e;
  }
  *emax = (int32_t)top;
  return top != 0xffu;
}

void opt_bfp_convert(const float *v, int32_t n, int32_t emax, int32_t *out) {
  for (int32_t j = 0; j < n; ++j) {
    const uint32_t u = f2u(v[j]);
    const uint32_t e = (u >> 23) & 0xffu;
    /* value = m * 2^(e - 150); subnormals: no implicit bit, exponent 1 */
    const uint32_t m = e ? ((u & 0x7fffffu) | 0x800000u) : (u & 0x7fffffu);
    const int32_t sh = emax - (int32_t)(e ? e : 1u);
    const uint32_t a = sh == 0 ? m : (sh < 26 ? (m + (1u << (sh - 1))) >> sh : 0u);
    out[j] = (u >> 31) ? -(int32_t)a : (int32_t)a;
  }
}

int64_t opt_bfp_dot(const int32_t *x, const int32_t *w, int32_t n) {
  int64_t acc = 0; /* no overflow: n <= OPT_BFP_MAX_DEPTH, |x w| <= 2^48 */
  for (int32_t j = 0; j < n; ++j) acc += (int64_t)x[j] * w[j];
  return acc;
}

float opt_bfp_float(int64_t acc, int32_t e) {
  if (acc == 0) return 0.0f;
  const float f = (float)acc; /* the one rounding */
  const uint32_t u = f2u(f);
  const int32_t ef = (int32_t)((u >> 23) & 0xffu);
  const int32_t scaled = ef + e - 300;
  if (scaled >= 1 && scaled <= 254) {
    return u2f((u & ~(0xffu << 23)) | ((uint32_t)scaled << 23)); /* exact */
  }
  if (scaled > 254) return u2f((u & 0x80000000u) | 0x7f800000u); /* overflow: inf */
  /* subnormal (or zero) result: f moved to the smallest normal binade,
   * norm = f * 2^(1 - ef) in [2^-126, 2^-125), times the normal 2^(scaled - 1);
   * that multiply rounds once more, only here. Below 2^-150 it is zero. */
  if (scaled - 1 < -25) return u2f(u & 0x80000000u);
  const float norm = u2f((u & ~(0xffu << 23)) | (1u << 23));
  return norm * u2f((uint32_t)(scaled - 1 + 127) << 23);
}
