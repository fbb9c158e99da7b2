/* SignalRfft (int16): real FFT of fft_length points, zero-padded input, with
 * KISS FFT's fixed-point arithmetic (FIXED_POINT=16) that TFLM uses, so the
 * spectrum is bit-exact: a complex FFT of fft_length/2 points over the
 * (even, odd) sample pairs, mixed radix 4 then 2, every butterfly input
 * divided by the radix with rounding (C_FIXDIV), products rounded to Q15;
 * then the real-FFT split with the "super twiddles".
 *
 * Our own implementation: the complex FFT writes straight into the output
 * (zero padding is virtual), the split runs in place, so no work buffers.
 * Twiddles are floor(0.5 + 32767 * cos/sin(phase)) as KISS computes them in
 * double; we compute a quarter sine table with a Taylor series (no libm) and
 * derive the rest by symmetry, exact for power-of-two lengths (no value is a
 * rounding tie there). Only powers of two in [4, 4096] are supported. */
#include "signal/signal_common.h"

typedef struct cpx {
  int16_t r, i;
} cpx;

typedef struct rfft_data {
  int32_t fft_length;     /* real points N */
  int32_t input_length;   /* innermost input dim (<= N) */
  int32_t frames;
  int32_t output_length;  /* complex values per output frame (>= N/2 + 1) */
  int16_t *quarter;       /* round(32767 sin(2 pi j / N)), j = 0..N/4 */
  cpx *twiddles;          /* N/2 twiddles of the complex FFT */
  uint16_t *perm;         /* leaf order: complex input index of each output slot */
  int factors[2 * 12];    /* (radix, remaining length) pairs, as kf_factor */
  int stages;
} rfft_data;

enum { RFFT_MAX_LENGTH = 4096 };

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

/* ---- fixed-point complex arithmetic (KISS FFT FIXED_POINT=16) ---------
 * cx is one complex int16 value; every operation wraps to int16 per part as
 * KISS's int16 stores do. On Arm cores with the DSP extension cx is the
 * packed 32-bit word (real in the low half, as in memory) and each operation
 * is one or two SIMD instructions; elsewhere it is the struct. Both give the
 * same bits (the products and sums stay below 2^31, see cx_mul). */
#if defined(__ARM_FEATURE_DSP)
#include <arm_acle.h>
typedef uint32_t cx;
static inline cx cx_load(const cpx *p) { uint32_t v; __builtin_memcpy(&v, p, sizeof v); return v; }
static inline void cx_store(cpx *p, cx v) { __builtin_memcpy(p, &v, sizeof v); }
static inline cx cx_make(int32_t r, int32_t i) { return (uint16_t)r | ((uint32_t)i << 16); }
static inline int32_t cx_re(cx a) { return (int16_t)(a & 0xFFFFu); }
static inline int32_t cx_im(cx a) { return (int16_t)(a >> 16); }
/* (a * b) rounded to Q15; |b| <= 32767 (twiddles) keeps the sums below 2^31 */
static inline cx cx_mul(cx a, cx b) {
  return cx_make(__smlsd((int16x2_t)a, (int16x2_t)b, 1 << 14) >> 15,
                 __smladx((int16x2_t)a, (int16x2_t)b, 1 << 14) >> 15);
}
/* C_FIXDIV: each part times 32767/radix, rounded to Q15 */
static inline cx cx_div(cx c, int32_t k) {
  return cx_make(__smlabb((int32_t)c, k, 1 << 14) >> 15, __smlatb((int32_t)c, k, 1 << 14) >> 15);
}
static inline cx cx_add(cx a, cx b) { return (cx)__sadd16((int16x2_t)a, (int16x2_t)b); }
static inline cx cx_sub(cx a, cx b) { return (cx)__ssub16((int16x2_t)a, (int16x2_t)b); }
/* (a.r + b.i, a.i - b.r) and (a.r - b.i, a.i + b.r) */
static inline cx cx_add_jconj(cx a, cx b) { return (cx)__ssax((int16x2_t)a, (int16x2_t)b); }
static inline cx cx_sub_jconj(cx a, cx b) { return (cx)__sasx((int16x2_t)a, (int16x2_t)b); }
#else
typedef cpx cx;
static inline cx cx_load(const cpx *p) { return *p; }
static inline void cx_store(cpx *p, cx v) { *p = v; }
static inline cx cx_make(int32_t r, int32_t i) {
  cx c = {(int16_t)r, (int16_t)i};
  return c;
}
static inline int32_t cx_re(cx a) { return a.r; }
static inline int32_t cx_im(cx a) { return a.i; }
static inline int16_t q15_round(int32_t x) { return (int16_t)((x + (1 << 14)) >> 15); }
static inline cx cx_mul(cx a, cx b) {
  return cx_make(q15_round((int32_t)a.r * b.r - (int32_t)a.i * b.i),
                 q15_round((int32_t)a.r * b.i + (int32_t)a.i * b.r));
}
static inline cx cx_div(cx c, int32_t k) {
  return cx_make(q15_round((int32_t)c.r * k), q15_round((int32_t)c.i * k));
}
static inline cx cx_add(cx a, cx b) { return cx_make(a.r + b.r, a.i + b.i); }
static inline cx cx_sub(cx a, cx b) { return cx_make(a.r - b.r, a.i - b.i); }
static inline cx cx_add_jconj(cx a, cx b) { return cx_make(a.r + b.i, a.i - b.r); }
static inline cx cx_sub_jconj(cx a, cx b) { return cx_make(a.r - b.i, a.i + b.r); }
#endif

enum { DIV2 = 32767 / 2, DIV4 = 32767 / 4 };

/* Radix-4 butterfly on f0..f3 (already divided by 4) with twiddles w1..w3. */
static inline void radix4(cpx *o0, cpx *o1, cpx *o2, cpx *o3, cx f0, cx f1, cx f2, cx f3,
                          cx w1, cx w2, cx w3) {
  const cx s0 = cx_mul(f1, w1), s1 = cx_mul(f2, w2), s2 = cx_mul(f3, w3);
  const cx s5 = cx_sub(f0, s1);
  f0 = cx_add(f0, s1);
  const cx s3 = cx_add(s0, s2), s4 = cx_sub(s0, s2);
  cx_store(o2, cx_sub(f0, s3));
  cx_store(o0, cx_add(f0, s3));
  cx_store(o1, cx_add_jconj(s5, s4));
  cx_store(o3, cx_sub_jconj(s5, s4));
}

static void bfly4(cpx *out, int32_t stride, const cpx *tw, int32_t m) {
  for (int32_t j = 0; j < m; ++j) {
    radix4(&out[j], &out[j + m], &out[j + 2 * m], &out[j + 3 * m],
           cx_div(cx_load(&out[j]), DIV4), cx_div(cx_load(&out[j + m]), DIV4),
           cx_div(cx_load(&out[j + 2 * m]), DIV4), cx_div(cx_load(&out[j + 3 * m]), DIV4),
           cx_load(&tw[j * stride]), cx_load(&tw[2 * j * stride]), cx_load(&tw[3 * j * stride]));
  }
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

static void fft(const rfft_data *d, const int16_t *x, cpx *out) {
  const int32_t n = d->fft_length / 2, len = d->input_length;
  const uint16_t *perm = d->perm;
  const cpx *tw = d->twiddles;
  const cx w0 = cx_load(&tw[0]);
  const int stages = d->stages;
  if (d->factors[2 * (stages - 1)] == 4) {
    for (int32_t b = 0; b < n; b += 4) {
      radix4(&out[b], &out[b + 1], &out[b + 2], &out[b + 3],
             cx_div(load_pair(x, len, perm[b]), DIV4), cx_div(load_pair(x, len, perm[b + 1]), DIV4),
             cx_div(load_pair(x, len, perm[b + 2]), DIV4),
             cx_div(load_pair(x, len, perm[b + 3]), DIV4), w0, w0, w0);
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
      if (p == 4) bfly4(out + blk, stride, tw, m); else bfly2(out + blk, stride, tw, m);
    }
  }
}

/* KISS's kiss_fftr split of the half-length complex FFT, in place on `f`
 * (n/2 + 1 values; the FFT filled the first n/2). HALF_OF is >> 1. */
static void real_split(cpx *f, int32_t ncfft, const int16_t *quarter) {
  const cx dc = cx_div(cx_load(&f[0]), DIV2);
  const int32_t dr = cx_re(dc), di = cx_im(dc);
  cx_store(&f[0], cx_make(dr + di, 0));
  cx_store(&f[ncfft], cx_make(dr - di, 0));
  for (int32_t k = 1; k <= ncfft / 2; ++k) {
    const cx fpk = cx_div(cx_load(&f[k]), DIV2);
    const cx nk = cx_load(&f[ncfft - k]);
    const cx fpnk = cx_div(cx_make(cx_re(nk), -cx_im(nk)), DIV2);
    const cx f1k = cx_add(fpk, fpnk), f2k = cx_sub(fpk, fpnk);
    /* super twiddle k-1: phase -pi (k/ncfft + 1/2) */
    const cx tw = cx_mul(f2k, cx_make(-quarter[k], -quarter[ncfft / 2 - k]));
    const int32_t ar = cx_re(f1k), ai = cx_im(f1k), br = cx_re(tw), bi = cx_im(tw);
    cx_store(&f[k], cx_make((ar + br) >> 1, (ai + bi) >> 1));
    cx_store(&f[ncfft - k], cx_make((ar - br) >> 1, (bi - ai) >> 1));
  }
}

/* ---- kernel ---------------------------------------------------------------- */

static tfm_status prepare(tfm_context *ctx, tfm_node *node) {
  tfm_tensor *in, *out;
  sig_opts o;
  int32_t type, n;
  TFM_TRY(sig_arity(ctx, node, 1, 1));
  TFM_TRY(sig_opts_open(ctx, node, &o));
  TFM_TRY(sig_opt_int(ctx, &o, "T", 0, 255, &type));
  if (type != TFM_INT16) {
    return tfm_fail(ctx, TFM_UNSUPPORTED, "type %s not supported (int16 only)",
                    tfm_type_name((tfm_type)type));
  }
  TFM_TRY(sig_opt_int(ctx, &o, "fft_length", 4, RFFT_MAX_LENGTH, &n));
  if ((n & (n - 1)) != 0) {
    return tfm_fail(ctx, TFM_UNSUPPORTED, "fft_length %ld is not a power of two", (long)n);
  }
  TFM_TRY(sig_input(ctx, node, 0, TFM_INT16, -1, &in));
  TFM_TRY(sig_output(ctx, node, 0, TFM_INT16, in->rank, &out));
  const int32_t in_len = tfm_tensor_dim(in, -1), out_len = tfm_tensor_dim(out, -1) / 2;
  if (in->rank < 1 || in_len <= 0 || in_len > n) {
    return tfm_fail(ctx, TFM_BAD_MODEL, "input length %ld must be in [1, fft_length %ld]",
                    (long)in_len, (long)n);
  }
  const int32_t frames = tfm_tensor_elements(in) / in_len;
  if (out_len < n / 2 + 1 || tfm_tensor_elements(out) != frames * 2 * out_len) {
    return tfm_fail(ctx, TFM_BAD_MODEL, "output needs %ld frames of >= %ld complex values",
                    (long)frames, (long)(n / 2 + 1));
  }
  rfft_data *d;
  TFM_TRY(tfm_alloc_persistent(ctx, sizeof *d, (void **)&d));
  TFM_TRY(tfm_alloc_persistent(ctx, sizeof(int16_t) * (size_t)(n / 4 + 1), (void **)&d->quarter));
  TFM_TRY(tfm_alloc_persistent(ctx, sizeof(cpx) * (size_t)(n / 2), (void **)&d->twiddles));
  TFM_TRY(tfm_alloc_persistent(ctx, sizeof(uint16_t) * (size_t)(n / 2), (void **)&d->perm));
  d->fft_length = n;
  d->input_length = in_len;
  d->frames = frames;
  d->output_length = out_len;
  for (int32_t j = 0; j <= n / 4; ++j) d->quarter[j] = quarter_sine(j, n);
  /* complex twiddle t: phase -2 pi t / (n/2) = index 2t on the n grid */
  for (int32_t t = 0; t < n / 2; ++t) {
    d->twiddles[t].r = table_sin(d->quarter, 2 * t + n / 4, n);
    d->twiddles[t].i = (int16_t)-table_sin(d->quarter, 2 * t, n);
  }
  /* kf_factor for a power of two: 4s, then a 2 when the exponent is odd */
  int32_t rest = n / 2;
  int k = 0;
  while (rest > 1) {
    int p = rest % 4 == 0 ? 4 : 2;
    rest /= p;
    d->factors[k++] = p;
    d->factors[k++] = (int)rest;
  }
  d->stages = k / 2;
  /* kf_work's leaves: output slot sum(q_l * m_l) takes input sum(q_l * stride_l) */
  for (int32_t pos = 0; pos < n / 2; ++pos) {
    int32_t rem = pos, index = 0, stride = 1;
    for (int l = 0; l < d->stages; ++l) {
      const int p = d->factors[2 * l], m = d->factors[2 * l + 1];
      index += (rem / m) * stride;
      rem %= m;
      stride *= p;
    }
    d->perm[pos] = (uint16_t)index;
  }
  node->data = d;
  return TFM_OK;
}

static tfm_status eval(tfm_context *ctx, tfm_node *node) {
  const rfft_data *d = (const rfft_data *)node->data;
  const int16_t *x = (const int16_t *)tfm_input(ctx, node, 0)->data;
  cpx *y = (cpx *)tfm_output(ctx, node, 0)->data;
  const int32_t ncfft = d->fft_length / 2;
  for (int32_t f = 0; f < d->frames; ++f) {
    cpx *out = y + f * d->output_length;
    fft(d, x + f * d->input_length, out);
    real_split(out, ncfft, d->quarter);
  }
  return TFM_OK;
}

static const tfm_kernel kKernel = {"SignalRfft", 1, prepare, eval};
const tfm_kernel *tfm_register_signal_rfft(void) { return &kKernel; }
