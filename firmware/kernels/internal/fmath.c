#include "internal/fmath.h"

#include "internal/fixedpoint.h"

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

/* ---- transcendental ----------------------------------------------------- */

static double from_bits_d(uint64_t u) {
  union { double d; uint64_t u; } v;
  v.u = u;
  return v.d;
}

static uint64_t bits_d(double x) {
  union { double d; uint64_t u; } v;
  v.d = x;
  return v.u;
}

double tfm_log(double x) {
  uint64_t u = bits_d(x);
  if (x != x) return x;
  if (x == 0.0) return -from_bits_d(0x7ff0000000000000u); /* -inf for +-0 */
  if (u >> 63) return from_bits_d(0x7ff8000000000000u);  /* NaN below 0 */
  if (((u >> 52) & 0x7ffu) == 0x7ffu) return x;           /* +inf */
  int e = (int)((u >> 52) & 0x7ffu);
  if (e == 0) { /* subnormal: scale into the normal range */
    u = bits_d(x * 18014398509481984.0); /* 2^54 */
    e = (int)((u >> 52) & 0x7ffu) - 54;
  }
  e -= 1023;
  /* m in [sqrt(1/2), sqrt(2)) */
  double m = from_bits_d((u & 0x000fffffffffffffu) | 0x3ff0000000000000u);
  if (m > 1.4142135623730951) {
    m *= 0.5;
    ++e;
  }
  /* log(m) = 2 atanh(s), s = (m - 1) / (m + 1), |s| < 0.1716 */
  const double s = (m - 1.0) / (m + 1.0), s2 = s * s;
  double term = s, sum = 0.0;
  for (int k = 1; k < 40; k += 2) {
    sum += term / k;
    term *= s2;
  }
  const double ln2_hi = 6.93147180369123816490e-01, ln2_lo = 1.90821492927058770002e-10;
  return (double)e * ln2_hi + (2.0 * sum + (double)e * ln2_lo);
}

double tfm_expm1(double x) {
  if (x != x) return x;
  if (x > 1.0 || x < -1.0) return tfm_exp(x) - 1.0;
  double term = x, sum = x; /* Taylor series: terms to x^20/20! (< 1e-18) */
  for (int n = 2; n <= 20; ++n) {
    term *= x / n;
    sum += term;
  }
  return sum;
}

double tfm_erfc(double x) {
  if (x != x) return x;
  const double inv_sqrt_pi = 0.56418958354775628695;
  const double ax = x < 0 ? -x : x;
  double r;
  if (ax < 2.5) {
    /* 1 - erf(x), erf by its Maclaurin series (terms to x^81: error < 1e-16) */
    const double x2 = x * x;
    double term = x, sum = x;
    for (int n = 1; n < 40; ++n) {
      term *= -x2 / n;
      sum += term / (2 * n + 1);
    }
    return 1.0 - 2.0 * inv_sqrt_pi * sum;
  }
  if (ax > 27.0) {
    r = 0.0; /* below the smallest double */
  } else {
    /* Laplace's continued fraction, evaluated from the tail (converged for ax >= 2.5) */
    double t = ax;
    for (int k = 60; k >= 1; --k) t = ax + (k * 0.5) / t;
    r = tfm_exp(-ax * ax) * inv_sqrt_pi / t;
  }
  return x < 0 ? 2.0 - r : r;
}

float tfm_logf(float x) {
  if (x < 0.0f) return tfm_f32_from_bits(QNAN_BITS);
  if (x == 0.0f) return -tfm_f32_from_bits(0x7f800000u);
  return (float)tfm_log((double)x);
}

/* 2/pi: bit 1 (after the binary point) is the top bit of kTwoOverPi[0]. */
static const uint32_t kTwoOverPi[10] = {
    0xa2f9836eu, 0x4e441529u, 0xfc2757d1u, 0xf534ddc0u, 0xdb629599u,
    0x3c439041u, 0xfe5163abu, 0xdebbc561u, 0xb7246e3au, 0x424dd2e0u};

/* 96 bits of 2/pi from bit s (1-based) on, as w[0] (top) .. w[2]. */
static void two_over_pi_window(int s, uint32_t *w) {
  const int b0 = s - 1, q = b0 / 32, r = b0 % 32;
  for (int k = 0; k < 3; ++k) {
    w[k] = r ? (kTwoOverPi[q + k] << r) | (kTwoOverPi[q + k + 1] >> (32 - r)) : kTwoOverPi[q + k];
  }
}

/* For finite |x| >= pi/4: n = round(x * 2/pi) mod 4 and the remainder
 * r = x * 2/pi - round(...) in [-1/2, 1/2], returned times pi/2. Exact
 * integer reduction: x = M * 2^E (M < 2^24), and only the bits of 2/pi that
 * do not make multiples of 4 are multiplied in. */
static double reduce_pio2(float ax, int *n) {
  const uint32_t u = tfm_f32_bits(ax);
  const uint32_t m = (u & 0x007fffffu) | 0x00800000u; /* |x| >= pi/4 is normal */
  const int e = (int)((u >> 23) & 0xffu) - 150;
  const int s = e - 1 > 1 ? e - 1 : 1;
  uint32_t w[3];
  two_over_pi_window(s, w);
  /* P = m * W, 120 bits in p[0] (top) .. p[3] */
  uint32_t p[4];
  uint64_t carry = 0;
  for (int k = 2; k >= 0; --k) {
    const uint64_t t = (uint64_t)m * w[k] + carry;
    p[k + 1] = (uint32_t)t;
    carry = t >> 32;
  }
  p[0] = (uint32_t)carry;
  /* y = P * 2^-(shift), shift = s + 95 - e in [96, 120]: integer bits above
   * `shift`, 64 fraction bits below it. */
  const int shift = s + 95 - e;
  /* bit i of P counts from the bottom (bit 0 = lowest bit of p[3]). */
  uint64_t frac = 0;
  for (int i = 0; i < 64; ++i) {
    const int b = shift - 64 + i;
    frac |= (uint64_t)((p[3 - b / 32] >> (b % 32)) & 1u) << i;
  }
  const int b = shift;
  int q = (int)(((p[3 - b / 32] >> (b % 32)) & 1u) | (((p[3 - (b + 1) / 32] >> ((b + 1) % 32)) & 1u) << 1));
  double r;
  if (frac >> 63) { /* fraction >= 1/2: round up, r = frac - 1 < 0 */
    q = (q + 1) & 3;
    r = -(double)(0u - frac) * 5.42101086242752217004e-20; /* 2^-64 */
  } else {
    r = (double)frac * 5.42101086242752217004e-20;
  }
  *n = q;
  return r * 1.57079632679489661923;
}

static double sin_poly(double a) { /* |a| <= pi/4 */
  const double a2 = a * a;
  double term = a, sum = a;
  for (int k = 1; k < 11; ++k) {
    term *= -a2 / (double)((2 * k) * (2 * k + 1));
    sum += term;
  }
  return sum;
}

static double cos_poly(double a) {
  const double a2 = a * a;
  double term = 1.0, sum = 1.0;
  for (int k = 1; k < 11; ++k) {
    term *= -a2 / (double)((2 * k - 1) * (2 * k));
    sum += term;
  }
  return sum;
}

/* sin (want_cos = 0) or cos of a float. */
static float sin_cos(float x, int want_cos) {
  const uint32_t u = tfm_f32_bits(x);
  if (((u >> 23) & 0xffu) == 0xffu) return tfm_f32_from_bits(QNAN_BITS); /* inf, NaN */
  const float ax = tfm_f32_from_bits(u & 0x7fffffffu);
  int n = 0;
  const double a = ax < 0.785398163f ? (double)ax : reduce_pio2(ax, &n);
  const int quadrant = (n + want_cos) & 3; /* cos(x) = sin(x + pi/2) */
  double v;
  switch (quadrant) {
    case 0: v = sin_poly(a); break;
    case 1: v = cos_poly(a); break;
    case 2: v = -sin_poly(a); break;
    default: v = -cos_poly(a); break;
  }
  if ((u >> 31) && !want_cos) v = -v; /* sin is odd, cos even */
  return (float)v;
}

float tfm_sinf(float x) { return sin_cos(x, 0); }
float tfm_cosf(float x) { return sin_cos(x, 1); }
