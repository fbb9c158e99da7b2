/* KISS FFT fixed-point complex FFT (see kiss_fft16.h). */
#include "signal/kiss_fft16.h"

/* ---- twiddles ----------------------------------------------------------- */

/* sin(x), |x| <= pi/4, Taylor to x^17 (error < 1e-16). */
static double taylor_sin(double x) {
  const double x2 = x * x;
  double p = 1.0 / 355687428096000.0;            /* 1/17! */
  p = -1.0 / 1307674368000.0 + x2 * p;           /* 1/15! */
  p = 1.0 / 6227020800.0 + x2 * p;               /* 1/13! */
  p = -1.0 / 39916800.0 + x2 * p;
  p = 1.0 / 362880.0 + x2 * p;
  p = -1.0 / 5040.0 + x2 * p;
  p = 1.0 / 120.0 + x2 * p;
  p = -1.0 / 6.0 + x2 * p;
  return x + x * x2 * p;
}

static double taylor_cos(double x) {
  const double x2 = x * x;
  double p = 1.0 / 20922789888000.0;             /* 1/16! */
  p = -1.0 / 87178291200.0 + x2 * p;
  p = 1.0 / 479001600.0 + x2 * p;
  p = -1.0 / 3628800.0 + x2 * p;
  p = 1.0 / 40320.0 + x2 * p;
  p = -1.0 / 720.0 + x2 * p;
  p = 1.0 / 24.0 + x2 * p;
  p = -0.5 + x2 * p;
  return 1.0 + x2 * p;
}

/* sin(2 pi k / m) in double for any k (m a multiple of 4), by exact quadrant
 * and octant reduction then the Taylor series. */
double sig_sin_2pi(int32_t k, int32_t m) {
  const double two_pi = 6.283185307179586476925286766559;
  const int32_t q = m / 4;
  k %= m;
  if (k < 0) k += m;
  const int32_t quadrant = k / q, r = k % q;
  const int32_t j = (quadrant & 1) ? q - r : r;       /* sin of the reduced angle */
  const double s = 8 * j <= m ? taylor_sin(two_pi * j / m) : taylor_cos(two_pi * (q - j) / m);
  return quadrant >= 2 ? -s : s;
}

/* floor(0.5 + 32767 sin(2 pi j / n)) for 0 <= j <= n/4. */
static int16_t quarter_sine(int32_t j, int32_t n) {
  const double two_pi = 6.283185307179586476925286766559;
  double s;
  if (8 * j <= n) {
    s = taylor_sin(two_pi * j / n);
  } else {
    s = taylor_cos(two_pi * (n / 4 - j) / n);
  }
  return (int16_t)(int32_t)(0.5 + 32767.0 * s);  /* non-negative: truncation = floor */
}

/* round(32767 sin(2 pi k / n)) for any k, from the quarter table (n = 4q). */
static int16_t table_sin(const int16_t *quarter, int32_t k, int32_t n) {
  const int32_t q = n / 4;
  k %= n;
  const int32_t r = k % q;
  switch (k / q) {
    case 0: return quarter[r];
    case 1: return quarter[q - r];
    case 2: return (int16_t)-quarter[r];
    default: return (int16_t)-quarter[q - r];
  }
}


/* Radix-4 butterfly on f0..f3 (already divided by 4) with twiddles w1..w3. */
static inline __attribute__((always_inline)) void radix4(cpx *o0, cpx *o1, cpx *o2, cpx *o3, cx f0, cx f1, cx f2, cx f3,
                          cx w1, cx w2, cx w3, bool inverse) {
  const cx s0 = cx_mul(f1, w1), s1 = cx_mul(f2, w2), s2 = cx_mul(f3, w3);
  const cx s5 = cx_sub(f0, s1);
  f0 = cx_add(f0, s1);
  const cx s3 = cx_add(s0, s2), s4 = cx_sub(s0, s2);
  cx_store(o2, cx_sub(f0, s3));
  cx_store(o0, cx_add(f0, s3));
  /* forward: o1 = s5 - j s4, o3 = s5 + j s4; the inverse swaps them */
  cx_store(inverse ? o3 : o1, cx_add_jconj(s5, s4));
  cx_store(inverse ? o1 : o3, cx_sub_jconj(s5, s4));
}

/* Inlined with a constant `inverse` (bfly4_fwd/bfly4_inv): no branch per butterfly. */
static inline __attribute__((always_inline)) void bfly4(cpx *out, int32_t stride,
                                                        const cpx *tw, int32_t m, bool inverse) {
  for (int32_t j = 0; j < m; ++j) {
    radix4(&out[j], &out[j + m], &out[j + 2 * m], &out[j + 3 * m],
           cx_div(cx_load(&out[j]), DIV4), cx_div(cx_load(&out[j + m]), DIV4),
           cx_div(cx_load(&out[j + 2 * m]), DIV4), cx_div(cx_load(&out[j + 3 * m]), DIV4),
           cx_load(&tw[j * stride]), cx_load(&tw[2 * j * stride]), cx_load(&tw[3 * j * stride]),
           inverse);
  }
}

static void bfly4_fwd(cpx *out, int32_t stride, const cpx *tw, int32_t m) {
  bfly4(out, stride, tw, m, false);
}

static void bfly4_inv(cpx *out, int32_t stride, const cpx *tw, int32_t m) {
  bfly4(out, stride, tw, m, true);
}

static void bfly2(cpx *out, int32_t stride, const cpx *tw, int32_t m) {
  for (int32_t j = 0; j < m; ++j) {
    const cx a = cx_div(cx_load(&out[j]), DIV2);
    const cx t = cx_mul(cx_div(cx_load(&out[j + m]), DIV2), cx_load(&tw[j * stride]));
    cx_store(&out[j + m], cx_sub(a, t));
    cx_store(&out[j], cx_add(a, t));
  }
}

/* The complex FFT of KISS's kf_work, iteratively: kf_work's recursion places
 * input (digit-reversed, mixed radix) at the leaves, then runs each stage's
 * butterflies on contiguous blocks; every butterfly sees the same inputs in
 * either order, so the results are identical. The leaf stage (m = 1, twiddle
 * 0 only) is fused with the loads; padding beyond the input reads as zeros. */
static inline cx load_pair(const int16_t *x, int32_t length, int32_t c) {
  if (2 * c + 1 < length) return cx_make(x[2 * c], x[2 * c + 1]);
  return cx_make(2 * c < length ? x[2 * c] : 0, 0);
}

void sig_fft16_run(const sig_fft16 *d, const int16_t *x, int32_t len, cpx *out) {
  const int32_t n = d->n;
  const uint16_t *perm = d->perm;
  const cpx *tw = d->twiddles;
  const cx w0 = cx_load(&tw[0]);
  const int stages = d->stages;
  if (d->factors[2 * (stages - 1)] == 4 && d->inverse) {
    for (int32_t b = 0; b < n; b += 4) {
      radix4(&out[b], &out[b + 1], &out[b + 2], &out[b + 3],
             cx_div(load_pair(x, len, perm[b]), DIV4), cx_div(load_pair(x, len, perm[b + 1]), DIV4),
             cx_div(load_pair(x, len, perm[b + 2]), DIV4),
             cx_div(load_pair(x, len, perm[b + 3]), DIV4), w0, w0, w0, true);
    }
  } else if (d->factors[2 * (stages - 1)] == 4) {
    for (int32_t b = 0; b < n; b += 4) {
      radix4(&out[b], &out[b + 1], &out[b + 2], &out[b + 3],
             cx_div(load_pair(x, len, perm[b]), DIV4), cx_div(load_pair(x, len, perm[b + 1]), DIV4),
             cx_div(load_pair(x, len, perm[b + 2]), DIV4),
             cx_div(load_pair(x, len, perm[b + 3]), DIV4), w0, w0, w0, false);
    }
  } else {
    for (int32_t b = 0; b < n; b += 2) {
      const cx a = cx_div(load_pair(x, len, perm[b]), DIV2);
      const cx t = cx_mul(cx_div(load_pair(x, len, perm[b + 1]), DIV2), w0);
      cx_store(&out[b + 1], cx_sub(a, t));
      cx_store(&out[b], cx_add(a, t));
    }
  }
  /* remaining stages, innermost first: radix p, sub-length m, twiddle stride */
  for (int l = stages - 2; l >= 0; --l) {
    const int p = d->factors[2 * l], m = d->factors[2 * l + 1];
    const int32_t stride = n / (p * m);
    for (int32_t blk = 0; blk < n; blk += p * m) {
      if (p == 4 && d->inverse) {
        bfly4_inv(out + blk, stride, tw, m);
      } else if (p == 4) {
        bfly4_fwd(out + blk, stride, tw, m);
      } else {
        bfly2(out + blk, stride, tw, m);
      }
    }
  }
}


tfm_status sig_fft16_plan(tfm_context *ctx, sig_fft16 *d, int32_t fft_length, bool inverse) {
  const int32_t n = fft_length / 2;   /* complex points; quarter table on the 2n grid */
  TFM_TRY(tfm_alloc_persistent(ctx, sizeof(int16_t) * (size_t)(n / 2 + 1), (void **)&d->quarter));
  TFM_TRY(tfm_alloc_persistent(ctx, sizeof(cpx) * (size_t)n, (void **)&d->twiddles));
  TFM_TRY(tfm_alloc_persistent(ctx, sizeof(uint16_t) * (size_t)n, (void **)&d->perm));
  d->n = n;
  d->inverse = inverse;
  for (int32_t j = 0; j <= n / 2; ++j) d->quarter[j] = quarter_sine(j, 2 * n);
  /* twiddle t: phase -2 pi t / n (+ when inverse) = index 2t on the 2n grid */
  for (int32_t t = 0; t < n; ++t) {
    const int16_t s = table_sin(d->quarter, 2 * t, 2 * n);
    d->twiddles[t].r = table_sin(d->quarter, 2 * t + n / 2, 2 * n);
    d->twiddles[t].i = inverse ? s : (int16_t)-s;
  }
  /* kf_factor for a power of two: 4s, then a 2 when the exponent is odd */
  int32_t rest = n;
  int k = 0;
  while (rest > 1) {
    const int p = rest % 4 == 0 ? 4 : 2;
    rest /= p;
    d->factors[k++] = p;
    d->factors[k++] = (int)rest;
  }
  d->stages = k / 2;
  /* kf_work's leaves: output slot sum(q_l * m_l) takes input sum(q_l * stride_l) */
  for (int32_t pos = 0; pos < n; ++pos) {
    int32_t rem = pos, index = 0, stride = 1;
    for (int l = 0; l < d->stages; ++l) {
      const int p = d->factors[2 * l], m = d->factors[2 * l + 1];
      index += (rem / m) * stride;
      rem %= m;
      stride *= p;
    }
    d->perm[pos] = (uint16_t)index;
  }
  return TFM_OK;
}
