/* SignalRfft (int16; float32 in kiss_fftf.c): real FFT of fft_length points, zero-padded input, with
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
#include "signal/kiss_fft16.h"
#include "signal/kiss_fftf.h"

typedef struct rfft_data {
  sig_fft16 fft;          /* int16 */
  sig_fftf fftf;          /* float32 */
  int32_t type;
  int32_t input_length;   /* innermost input dim (<= N) */
  int32_t frames;
  int32_t output_length;  /* complex values per output frame (>= N/2 + 1) */
} rfft_data;

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
  if (type != TFM_INT16 && type != TFM_FLOAT32) {
    return tfm_fail(ctx, TFM_UNSUPPORTED, "type %s not supported (int16, float32)",
                    tfm_type_name((tfm_type)type));
  }
  TFM_TRY(sig_opt_int(ctx, &o, "fft_length", 4, SIG_FFT_MAX_LENGTH, &n));
  if ((n & (n - 1)) != 0) {
    return tfm_fail(ctx, TFM_UNSUPPORTED, "fft_length %ld is not a power of two", (long)n);
  }
  TFM_TRY(sig_input(ctx, node, 0, type, -1, &in));
  TFM_TRY(sig_output(ctx, node, 0, type, in->rank, &out));
  const int32_t in_len = tfm_tensor_dim(in, -1), out_len = tfm_tensor_dim(out, -1) / 2;
  if (in->rank < 1 || in_len <= 0 || in_len > n) {
    return tfm_fail(ctx, TFM_BAD_MODEL, "input length %ld must be in [1, fft_length %ld]",
                    (long)in_len, (long)n);
  }
  const int32_t frames = tfm_tensor_elements(in) / in_len;
  if (out_len < n / 2 + 1 || tfm_tensor_elements(out) != (int64_t)frames * 2 * out_len) {
    return tfm_fail(ctx, TFM_BAD_MODEL, "output needs %ld frames of >= %ld complex values",
                    (long)frames, (long)(n / 2 + 1));
  }
  rfft_data *d;
  TFM_TRY(tfm_alloc_persistent(ctx, sizeof *d, (void **)&d));
  d->type = type;
  if (type == TFM_INT16) {
    TFM_TRY(sig_fft16_plan(ctx, &d->fft, n, false));
  } else {
    TFM_TRY(sig_fftf_plan(ctx, &d->fftf, n, false));
  }
  d->input_length = in_len;
  d->frames = frames;
  d->output_length = out_len;
  node->data = d;
  return TFM_OK;
}

static tfm_status eval(tfm_context *ctx, tfm_node *node) {
  const rfft_data *d = (const rfft_data *)node->data;
  if (d->type == TFM_FLOAT32) {
    const float *xf = (const float *)tfm_input(ctx, node, 0)->data;
    cpxf *yf = (cpxf *)tfm_output(ctx, node, 0)->data;
    for (int32_t f = 0; f < d->frames; ++f) {
      cpxf *out = yf + f * d->output_length;
      sig_fftf_run(&d->fftf, xf + f * d->input_length, d->input_length, out);
      sig_fftf_split(&d->fftf, out);
    }
    return TFM_OK;
  }
  const int16_t *x = (const int16_t *)tfm_input(ctx, node, 0)->data;
  cpx *y = (cpx *)tfm_output(ctx, node, 0)->data;
  for (int32_t f = 0; f < d->frames; ++f) {
    cpx *out = y + f * d->output_length;
    sig_fft16_run(&d->fft, x + f * d->input_length, d->input_length, out);
    real_split(out, d->fft.n, d->fft.quarter);
  }
  return TFM_OK;
}

static const tfm_kernel kKernel = {"SignalRfft", 1, prepare, eval};
const tfm_kernel *tfm_register_signal_rfft(void) { return &kKernel; }
