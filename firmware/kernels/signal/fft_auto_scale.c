/* SignalFftAutoScale: shift the int16 input left so its largest magnitude
 * uses all 15 bits; output the shifted values and the shift
 * (TFLM signal/src/fft_auto_scale.cc, max_abs.cc). */
#include "signal/signal_common.h"

static tfm_status prepare(tfm_context *ctx, tfm_node *node) {
  tfm_tensor *in, *out, *bits;
  TFM_TRY(sig_arity(ctx, node, 1, 2));
  TFM_TRY(sig_input(ctx, node, 0, TFM_INT16, 1, &in));
  TFM_TRY(sig_output(ctx, node, 0, TFM_INT16, 1, &out));
  TFM_TRY(sig_output(ctx, node, 1, TFM_INT32, 0, &bits));
  if (tfm_tensor_elements(out) > tfm_tensor_elements(in)) {
    return tfm_fail(ctx, TFM_BAD_MODEL, "output larger than input");
  }
  return TFM_OK;
}

static tfm_status eval(tfm_context *ctx, tfm_node *node) {
  const int16_t *x = (const int16_t *)tfm_input(ctx, node, 0)->data;
  tfm_tensor *out = tfm_output(ctx, node, 0);
  int16_t *y = (int16_t *)out->data;
  const int32_t n = out->dims[0];
  /* TFLM's MaxAbs16 in int16: -(-32768) wraps, which later values can undo. */
  int16_t max = 0;
  for (int32_t i = 0; i < n; ++i) {
    const int16_t v = x[i];
    if (v > max) {
      max = v;
    } else if (-v > max) {
      max = (int16_t)-v;
    }
  }
  int bits = 16 - sig_msb32((uint32_t)(int32_t)max) - 1;
  if (bits < 0) bits = 0;
  const int32_t mul = (int32_t)1 << bits;
  for (int32_t i = 0; i < n; ++i) y[i] = (int16_t)(x[i] * mul);
  *(int32_t *)tfm_output(ctx, node, 1)->data = bits;
  return TFM_OK;
}

static const tfm_kernel kKernel = {"SignalFftAutoScale", 1, prepare, eval};
const tfm_kernel *tfm_register_signal_fft_auto_scale(void) { return &kKernel; }
