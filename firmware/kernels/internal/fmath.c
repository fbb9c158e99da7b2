#include "internal/fmath.h"

#define QNAN_BITS 0x7fc00000u

/* Clears the fraction bits below the binary point; `up` rounds magnitudes up
 * instead (the caller picks it from the sign: floor of a negative number). */
static float to_integer(float x, int away) {
  const uint32_t u = tfm_f32_bits(x);
  const int e = (int)((u >> 23) & 0xffu) - 127;
  if (e >= 23) return x;                        /* integral, inf or NaN */
  if (e < 0) {                                  /* |x| < 1 */
    if ((u & 0x7fffffffu) == 0 || !away) return tfm_f32_from_bits(u & 0x80000000u);
    return tfm_f32_from_bits((u & 0x80000000u) | 0x3f800000u); /* +-1 */
  }
  const uint32_t mask = 0x007fffffu >> e;
  if ((u & mask) == 0) return x;
  return tfm_f32_from_bits(((away ? u + mask : u)) & ~mask);
}

float tfm_floorf(float x) { return to_integer(x, tfm_f32_bits(x) >> 31); }
float tfm_ceilf(float x) { return to_integer(x, !(tfm_f32_bits(x) >> 31)); }
float tfm_truncf(float x) { return to_integer(x, 0); }

double tfm_floor(double x) {
  union { double d; uint64_t u; } v;
  v.d = x;
  const int e = (int)((v.u >> 52) & 0x7ffu) - 1023;
  if (e >= 52) return x;                        /* integral, inf or NaN */
  const int neg = (int)(v.u >> 63);
  if (e < 0) {                                  /* |x| < 1 */
    if ((v.u << 1) == 0 || !neg) v.u &= (uint64_t)1 << 63;
    else v.u = 0xbff0000000000000u;             /* -1 */
    return v.d;
  }
  const uint64_t mask = 0x000fffffffffffffu >> e;
  if ((v.u & mask) == 0) return x;
  v.u = (neg ? v.u + mask : v.u) & ~mask;
  return v.d;
}

/* 2^k as a double, for -1022 <= k <= 1023. */
static double pow2d(int k) {
  union { double d; uint64_t u; } v;
  v.u = (uint64_t)(k + 1023) << 52;
  return v.d;
}

/* Mantissa with the implicit bit (normalised also for subnormals) and the
 * exponent such that |x| = m * 2^(e - 150), m in [2^23, 2^24). x finite, != 0. */
static uint32_t unpack(uint32_t u, int *e) {
  uint32_t m = u & 0x007fffffu;
  int ex = (int)((u >> 23) & 0xffu);
  if (ex == 0) {
    ex = 1;
    while (!(m & 0x00800000u)) {
      m <<= 1;
      --ex;
    }
  } else {
    m |= 0x00800000u;
  }
  *e = ex;
  return m;
}

float tfm_sqrtf(float x) {
  const uint32_t u = tfm_f32_bits(x);
  if ((u & 0x7fffffffu) == 0) return x;         /* +-0 */
  if (u >> 31) return tfm_f32_from_bits(QNAN_BITS); /* negative or -NaN */
  if (((u >> 23) & 0xffu) == 0xffu) return x;   /* +inf or NaN */
  int e;
  uint64_t m = unpack(u, &e);
  int k = e - 150;                              /* x = m * 2^k */
  if (k & 1) {
    m <<= 1;
    --k;
  }
  /* r = isqrt(m * 2^26) has 25-26 bits; a guard bit and a sticky bit below
   * it make the one rounding of (float)r2 the correct rounding of sqrt(x). */
  uint64_t rem = m << 26, r = 0, bit = (uint64_t)1 << 62;
  while (bit > rem) bit >>= 2;
  while (bit) {
    if (rem >= r + bit) {
      rem -= r + bit;
      r = (r >> 1) + bit;
    } else {
      r >>= 1;
    }
    bit >>= 2;
  }
  const uint64_t r2 = (r << 1) | (rem != 0);
  /* sqrt(x) = r2 / 2 * 2^((k - 26) / 2); the scaling is exact (normal range). */
  return (float)((double)(float)r2 * pow2d((k - 26) / 2 - 1));
}

float tfm_fmodf(float x, float y) {
  const uint32_t ux = tfm_f32_bits(x), uy = tfm_f32_bits(y);
  const uint32_t ax = ux & 0x7fffffffu, ay = uy & 0x7fffffffu;
  if (ay == 0 || ax >= 0x7f800000u || ay > 0x7f800000u) return tfm_f32_from_bits(QNAN_BITS);
  if (ax < ay) return x;                        /* includes y = inf */
  int ex, ey;
  uint32_t mx = unpack(ux, &ex);
  const uint32_t my = unpack(uy, &ey);
  /* Long division of the mantissas, one quotient bit per exponent step. */
  for (; ex > ey; --ex) {
    if (mx >= my) mx -= my;
    mx <<= 1;
  }
  if (mx >= my) mx -= my;
  /* The remainder is exactly representable: scale it in double. */
  const double r = (double)mx * pow2d(ey - 150);
  const float f = (float)r;
  return (ux >> 31) ? -f : f;
}
