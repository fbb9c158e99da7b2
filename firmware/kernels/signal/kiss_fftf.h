/* KISS FFT's float complex FFT and real-FFT split/fold, our implementation,
 * for SignalRfft / SignalIrfft with T = float32: KISS's operation order (no
 * scaling in float), twiddles (float)cos/sin(phase) from double values. */
#ifndef TFM_KERNELS_SIGNAL_KISS_FFTF_H
#define TFM_KERNELS_SIGNAL_KISS_FFTF_H

#include "signal/signal_common.h"

typedef struct cpxf {
  float r, i;
} cpxf;

typedef struct sig_fftf {
  int32_t n;              /* complex points (fft_length / 2) */
  cpxf *twiddles;         /* n: phase -+2 pi t / n */
  cpxf *super;            /* n/2: phase -+pi ((i + 1) / n + 1/2) */
  uint16_t *perm;
  int factors[2 * 12];
  int stages;
  bool inverse;
} sig_fftf;

tfm_status sig_fftf_plan(tfm_context *ctx, sig_fftf *p, int32_t fft_length, bool inverse);
/* out[0..n) = FFT of (x[2c], x[2c + 1]), zeros at or beyond `length`. */
void sig_fftf_run(const sig_fftf *p, const float *x, int32_t length, cpxf *out);
/* kiss_fftr's split, in place on f[0..n] (the FFT filled f[0..n)). */
void sig_fftf_split(const sig_fftf *p, cpxf *f);
/* kiss_fftri's fold of f[0..n] into tmp[0..n). */
void sig_fftf_fold(const sig_fftf *p, const cpxf *f, cpxf *tmp);

#endif /* TFM_KERNELS_SIGNAL_KISS_FFTF_H */
