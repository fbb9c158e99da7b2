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
  int factors[2 * 12];    /* (radix, remaining length) pairs, as kf_factor */
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

/* ---- fixed-point complex arithmetic (KISS FFT FIXED_POINT=16) --------- */

static inline int16_t q15_round(int32_t x) { return (int16_t)((x + (1 << 14)) >> 15); }

static inline cpx cmul(cpx a, cpx b) {
  /* |b| <= 32767 (twiddles), so neither sum overflows int32. */
  cpx m;
  m.r = q15_round((int32_t)a.r * b.r - (int32_t)a.i * b.i);
  m.i = q15_round((int32_t)a.r * b.i + (int32_t)a.i * b.r);
  return m;
}

static inline cpx fixdiv(cpx c, int32_t factor) { /* factor = 32767 / radix */
  cpx d;
  d.r = q15_round((int32_t)c.r * factor);
  d.i = q15_round((int32_t)c.i * factor);
  return d;
}

static inline cpx cadd(cpx a, cpx b) {
  cpx c = {(int16_t)(a.r + b.r), (int16_t)(a.i + b.i)};
  return c;
}

static inline cpx csub(cpx a, cpx b) {
  cpx c = {(int16_t)(a.r - b.r), (int16_t)(a.i - b.i)};
  return c;
}

static void bfly2(cpx *out, int32_t stride, const cpx *tw, int32_t m) {
  for (int32_t j = 0; j < m; ++j) {
    cpx a = fixdiv(out[j], 16383), b = fixdiv(out[j + m], 16383);
    cpx t = cmul(b, tw[j * stride]);
    out[j + m] = csub(a, t);
    out[j] = cadd(a, t);
  }
}

static void bfly4(cpx *out, int32_t stride, const cpx *tw, int32_t m) {
  for (int32_t j = 0; j < m; ++j) {
    cpx f0 = fixdiv(out[j], 8191);
    cpx s0 = cmul(fixdiv(out[j + m], 8191), tw[j * stride]);
    cpx s1 = cmul(fixdiv(out[j + 2 * m], 8191), tw[2 * j * stride]);
    cpx s2 = cmul(fixdiv(out[j + 3 * m], 8191), tw[3 * j * stride]);
    cpx s5 = csub(f0, s1);
    f0 = cadd(f0, s1);
    cpx s3 = cadd(s0, s2), s4 = csub(s0, s2);
    out[j + 2 * m] = csub(f0, s3);
    out[j] = cadd(f0, s3);
    out[j + m].r = (int16_t)(s5.r + s4.i);
    out[j + m].i = (int16_t)(s5.i - s4.r);
    out[j + 3 * m].r = (int16_t)(s5.r - s4.i);
    out[j + 3 * m].i = (int16_t)(s5.i + s4.r);
  }
}

typedef struct fft_input {
  const int16_t *x;
  int32_t length;     /* real samples present; the rest are zeros */
} fft_input;

static inline cpx load_pair(const fft_input *in, int32_t c) {
  cpx v = {0, 0};
  if (2 * c < in->length) v.r = in->x[2 * c];
  if (2 * c + 1 < in->length) v.i = in->x[2 * c + 1];
  return v;
}

/* KISS's kf_work: decimation in time, recursive over the factors. */
static void fft_work(cpx *out, const fft_input *in, int32_t first, int32_t stride,
                     const int *factors, const cpx *tw) {
  const int p = factors[0], m = factors[1];
  if (m == 1) {
    for (int q = 0; q < p; ++q) out[q] = load_pair(in, first + q * stride);
  } else {
    for (int q = 0; q < p; ++q) {
      fft_work(out + q * m, in, first + q * stride, stride * p, factors + 2, tw);
    }
  }
  if (p == 4) bfly4(out, stride, tw, m); else bfly2(out, stride, tw, m);
}

/* KISS's kiss_fftr split of the half-length complex FFT, in place on `f`
 * (n/2 + 1 values; the FFT filled the first n/2). */
static void real_split(cpx *f, int32_t ncfft, const int16_t *quarter) {
  cpx dc = fixdiv(f[0], 16383);
  f[0].r = (int16_t)(dc.r + dc.i);
  f[ncfft].r = (int16_t)(dc.r - dc.i);
  f[0].i = f[ncfft].i = 0;
  for (int32_t k = 1; k <= ncfft / 2; ++k) {
    cpx fpk = fixdiv(f[k], 16383);
    cpx nk = {f[ncfft - k].r, (int16_t)-f[ncfft - k].i};
    cpx fpnk = fixdiv(nk, 16383);
    cpx f1k = cadd(fpk, fpnk), f2k = csub(fpk, fpnk);
    /* super twiddle k-1: phase -pi (k/ncfft + 1/2) */
    cpx st = {(int16_t)-quarter[k], (int16_t)-quarter[ncfft / 2 - k]};
    cpx tw = cmul(f2k, st);
    f[k].r = (int16_t)((f1k.r + tw.r) >> 1);
    f[k].i = (int16_t)((f1k.i + tw.i) >> 1);
    f[ncfft - k].r = (int16_t)((f1k.r - tw.r) >> 1);
    f[ncfft - k].i = (int16_t)((tw.i - f1k.i) >> 1);
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
  node->data = d;
  return TFM_OK;
}

static tfm_status eval(tfm_context *ctx, tfm_node *node) {
  const rfft_data *d = (const rfft_data *)node->data;
  const int16_t *x = (const int16_t *)tfm_input(ctx, node, 0)->data;
  cpx *y = (cpx *)tfm_output(ctx, node, 0)->data;
  const int32_t ncfft = d->fft_length / 2;
  for (int32_t f = 0; f < d->frames; ++f) {
    fft_input in = {x + f * d->input_length, d->input_length};
    cpx *out = y + f * d->output_length;
    fft_work(out, &in, 0, 1, d->factors, d->twiddles);
    real_split(out, ncfft, d->quarter);
  }
  return TFM_OK;
}

static const tfm_kernel kKernel = {"SignalRfft", 1, prepare, eval};
const tfm_kernel *tfm_register_signal_rfft(void) { return &kKernel; }
