/* SignalIrfft (int16): inverse real FFT with KISS FFT's fixed-point
 * arithmetic (kiss_fftri), bit-exact with TFLM: the N/2 + 1 spectrum values
 * are folded into N/2 complex values with the inverse super twiddles, then the
 * inverse complex FFT (KISS's scaling: each stage divides by its radix) gives
 * N real samples. float32: kiss_fftf.c; int32 is not supported. */
#include "signal/kiss_fft16.h"
#include "signal/kiss_fftf.h"

typedef struct irfft_data {
  sig_fft16 fft;          /* int16 */
  sig_fftf fftf;          /* float32 */
  int32_t type;
  int32_t input_length;   /* complex values per input frame (>= N/2 + 1) */
  int32_t output_length;  /* samples per output frame (>= N) */
  int32_t frames;
  int scratch;            /* N/2 complex values */
} irfft_data;

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
  const int32_t in_len = tfm_tensor_dim(in, -1) / 2, out_len = tfm_tensor_dim(out, -1);
  if (in->rank < 1 || in_len < n / 2 + 1 || out_len < n) {
    return tfm_fail(ctx, TFM_BAD_MODEL, "needs >= %ld complex inputs and >= %ld outputs per "
                    "frame", (long)(n / 2 + 1), (long)n);
  }
  const int32_t frames = tfm_tensor_elements(in) / (2 * in_len);
  if (tfm_tensor_elements(out) != (int64_t)frames * out_len) {
    return tfm_fail(ctx, TFM_BAD_MODEL, "input has %ld frames, output does not", (long)frames);
  }
  irfft_data *d;
  TFM_TRY(tfm_alloc_persistent(ctx, sizeof *d, (void **)&d));
  d->type = type;
  if (type == TFM_INT16) {
    TFM_TRY(sig_fft16_plan(ctx, &d->fft, n, true));
    TFM_TRY(tfm_request_scratch(ctx, sizeof(cpx) * (size_t)(n / 2), &d->scratch));
  } else {
    TFM_TRY(sig_fftf_plan(ctx, &d->fftf, n, true));
    TFM_TRY(tfm_request_scratch(ctx, sizeof(cpxf) * (size_t)(n / 2), &d->scratch));
  }
  d->input_length = in_len;
  d->output_length = out_len;
  d->frames = frames;
  node->data = d;
  return TFM_OK;
}

/* kiss_fftri's fold of the half spectrum into tmp[0..n). */
static void fold(const cpx *f, cpx *tmp, int32_t n, const int16_t *quarter) {
  const int32_t f0 = f[0].r, fn = f[n].r;
  cx_store(&tmp[0], cx_div(cx_make(f0 + fn, f0 - fn), DIV2));
  for (int32_t k = 1; k <= n / 2; ++k) {
    const cx fk = cx_div(cx_load(&f[k]), DIV2);
    const cx nk = cx_load(&f[n - k]);
    const cx fnkc = cx_div(cx_make(cx_re(nk), -cx_im(nk)), DIV2);
    const cx fek = cx_add(fk, fnkc);
    /* inverse super twiddle k-1: phase +pi (k/n + 1/2) */
    const cx fok = cx_mul(cx_sub(fk, fnkc), cx_make(-quarter[k], quarter[n / 2 - k]));
    cx_store(&tmp[k], cx_add(fek, fok));
    const cx lo = cx_sub(fek, fok);
    cx_store(&tmp[n - k], cx_make(cx_re(lo), -cx_im(lo)));
  }
}

static tfm_status eval(tfm_context *ctx, tfm_node *node) {
  const irfft_data *d = (const irfft_data *)node->data;
  if (d->type == TFM_FLOAT32) {
    const cpxf *xf = (const cpxf *)tfm_input(ctx, node, 0)->data;
    float *yf = (float *)tfm_output(ctx, node, 0)->data;
    cpxf *tmpf = (cpxf *)tfm_scratch(ctx, d->scratch);
    for (int32_t f = 0; f < d->frames; ++f) {
      sig_fftf_fold(&d->fftf, xf + f * d->input_length, tmpf);
      float *out = yf + f * d->output_length;
      sig_fftf_run(&d->fftf, (const float *)tmpf, 2 * d->fftf.n, (cpxf *)(void *)out);
      /* TFLM's float Irfft divides KISS's unscaled result by the real length */
      const float length = (float)(2 * d->fftf.n);
      for (int32_t i = 0; i < 2 * d->fftf.n; ++i) out[i] /= length;
    }
    return TFM_OK;
  }
  const cpx *x = (const cpx *)tfm_input(ctx, node, 0)->data;
  int16_t *y = (int16_t *)tfm_output(ctx, node, 0)->data;
  cpx *tmp = (cpx *)tfm_scratch(ctx, d->scratch);
  for (int32_t f = 0; f < d->frames; ++f) {
    fold(x + f * d->input_length, tmp, d->fft.n, d->fft.quarter);
    sig_fft16_run(&d->fft, (const int16_t *)tmp, 2 * d->fft.n,
                  (cpx *)(void *)(y + f * d->output_length));
  }
  return TFM_OK;
}

static const tfm_kernel kKernel = {"SignalIrfft", 1, prepare, eval};
const tfm_kernel *tfm_register_signal_irfft(void) { return &kKernel; }
