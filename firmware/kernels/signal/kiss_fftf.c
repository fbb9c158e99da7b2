/* KISS FFT float complex FFT (see kiss_fftf.h). Same structure as
 * kiss_fft16.c: iterative kf_work with the leaf order precomputed. */
#include "signal/kiss_fftf.h"

#include "signal/kiss_fft16.h"

static inline cpxf cmulf(cpxf a, cpxf b) {
  cpxf m = {a.r * b.r - a.i * b.i, a.r * b.i + a.i * b.r};
  return m;
}
static inline cpxf caddf(cpxf a, cpxf b) {
  cpxf c = {a.r + b.r, a.i + b.i};
  return c;
}
static inline cpxf csubf(cpxf a, cpxf b) {
  cpxf c = {a.r - b.r, a.i - b.i};
  return c;
}

static inline __attribute__((always_inline)) void radix4f(cpxf *o0, cpxf *o1, cpxf *o2,
                                                          cpxf *o3, cpxf w1, cpxf w2, cpxf w3,
                                                          bool inverse) {
  const cpxf s0 = cmulf(*o1, w1), s1 = cmulf(*o2, w2), s2 = cmulf(*o3, w3);
  const cpxf s5 = csubf(*o0, s1);
  const cpxf f0 = caddf(*o0, s1);
  const cpxf s3 = caddf(s0, s2), s4 = csubf(s0, s2);
  *o2 = csubf(f0, s3);
  *o0 = caddf(f0, s3);
  const cpxf a = {s5.r + s4.i, s5.i - s4.r}, b = {s5.r - s4.i, s5.i + s4.r};
  *o1 = inverse ? b : a;
  *o3 = inverse ? a : b;
}

static inline cpxf load_pairf(const float *x, int32_t length, int32_t c) {
  cpxf v = {2 * c < length ? x[2 * c] : 0.0f, 2 * c + 1 < length ? x[2 * c + 1] : 0.0f};
  return v;
}

void sig_fftf_run(const sig_fftf *d, const float *x, int32_t len, cpxf *out) {
  const int32_t n = d->n;
  for (int32_t s = 0; s < n; ++s) out[s] = load_pairf(x, len, d->perm[s]);
  for (int l = d->stages - 1; l >= 0; --l) {
    const int p = d->factors[2 * l], m = d->factors[2 * l + 1];
    const int32_t stride = n / (p * m);
    for (int32_t blk = 0; blk < n; blk += p * m) {
      cpxf *f = out + blk;
      for (int32_t j = 0; j < m; ++j) {
        if (p == 4) {
          radix4f(&f[j], &f[j + m], &f[j + 2 * m], &f[j + 3 * m], d->twiddles[j * stride],
                  d->twiddles[2 * j * stride], d->twiddles[3 * j * stride], d->inverse);
        } else {
          const cpxf t = cmulf(f[j + m], d->twiddles[j * stride]);
          f[j + m] = csubf(f[j], t);
          f[j] = caddf(f[j], t);
        }
      }
    }
  }
}

void sig_fftf_split(const sig_fftf *d, cpxf *f) {
  const int32_t n = d->n;
  const cpxf dc = f[0];
  f[0].r = dc.r + dc.i;
  f[n].r = dc.r - dc.i;
  f[0].i = f[n].i = 0.0f;
  for (int32_t k = 1; k <= n / 2; ++k) {
    const cpxf fpk = f[k], fpnk = {f[n - k].r, -f[n - k].i};
    const cpxf f1k = caddf(fpk, fpnk), tw = cmulf(csubf(fpk, fpnk), d->super[k - 1]);
    f[k].r = (f1k.r + tw.r) * 0.5f;
    f[k].i = (f1k.i + tw.i) * 0.5f;
    f[n - k].r = (f1k.r - tw.r) * 0.5f;
    f[n - k].i = (tw.i - f1k.i) * 0.5f;
  }
}

void sig_fftf_fold(const sig_fftf *d, const cpxf *f, cpxf *tmp) {
  const int32_t n = d->n;
  tmp[0].r = f[0].r + f[n].r;
  tmp[0].i = f[0].r - f[n].r;
  for (int32_t k = 1; k <= n / 2; ++k) {
    const cpxf fk = f[k], fnkc = {f[n - k].r, -f[n - k].i};
    const cpxf fek = caddf(fk, fnkc), fok = cmulf(csubf(fk, fnkc), d->super[k - 1]);
    tmp[k] = caddf(fek, fok);
    tmp[n - k] = csubf(fek, fok);
    tmp[n - k].i *= -1.0f;
  }
}

tfm_status sig_fftf_plan(tfm_context *ctx, sig_fftf *d, int32_t fft_length, bool inverse) {
  const int32_t n = fft_length / 2, m = 2 * n;   /* angles on the 2n grid */
  const double sign = inverse ? 1.0 : -1.0;
  TFM_TRY(tfm_alloc_persistent(ctx, sizeof(cpxf) * (size_t)n, (void **)&d->twiddles));
  TFM_TRY(tfm_alloc_persistent(ctx, sizeof(cpxf) * (size_t)(n / 2), (void **)&d->super));
  TFM_TRY(tfm_alloc_persistent(ctx, sizeof(uint16_t) * (size_t)n, (void **)&d->perm));
  d->n = n;
  d->inverse = inverse;
  for (int32_t t = 0; t < n; ++t) {
    d->twiddles[t].r = (float)sig_sin_2pi(2 * t + m / 4, m);
    d->twiddles[t].i = (float)(sign * sig_sin_2pi(2 * t, m));
  }
  for (int32_t i = 0; i < n / 2; ++i) {    /* phase sign * pi (i + 1 + n/2) / n */
    const int32_t k = i + 1 + n / 2;
    d->super[i].r = (float)sig_sin_2pi(k + m / 4, m);
    d->super[i].i = (float)(sign * sig_sin_2pi(k, m));
  }
  int32_t rest = n;
  int k = 0;
  while (rest > 1) {
    const int p = rest % 4 == 0 ? 4 : 2;
    rest /= p;
    d->factors[k++] = p;
    d->factors[k++] = (int)rest;
  }
  d->stages = k / 2;
  for (int32_t pos = 0; pos < n; ++pos) {
    int32_t rem = pos, index = 0, stride = 1;
    for (int l = 0; l < d->stages; ++l) {
      const int p = d->factors[2 * l], mm = d->factors[2 * l + 1];
      index += (rem / mm) * stride;
      rem %= mm;
      stride *= p;
    }
    d->perm[pos] = (uint16_t)index;
  }
  return TFM_OK;
}
