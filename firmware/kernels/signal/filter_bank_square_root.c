/* SignalFilterBankSquareRoot: y = sqrt64(x) >> scale_bits (scale_bits is an
 * int32 scalar input, the FFT auto-scale shift) (TFLM filter_bank_square_root.cc). */
#include "signal/signal_common.h"

static tfm_status prepare(tfm_context *ctx, tfm_node *node) {
  tfm_tensor *in, *bits, *out;
  TFM_TRY(sig_arity(ctx, node, 2, 1));
  TFM_TRY(sig_input(ctx, node, 0, SIG_UINT64, 1, &in));
  TFM_TRY(sig_input(ctx, node, 1, TFM_INT32, 0, &bits));
  TFM_TRY(sig_output(ctx, node, 0, TFM_UINT32, 1, &out));
  if (out->dims[0] < in->dims[0]) return tfm_fail(ctx, TFM_BAD_MODEL, "output shorter than input");
  return TFM_OK;
}

static tfm_status eval(tfm_context *ctx, tfm_node *node) {
  const tfm_tensor *in = tfm_input(ctx, node, 0);
  const uint64_t *x = (const uint64_t *)in->data;
  const int32_t bits = *(const int32_t *)tfm_input(ctx, node, 1)->data;
  uint32_t *y = (uint32_t *)tfm_output(ctx, node, 0)->data;
  if (bits < 0 || bits > 31) return tfm_fail(ctx, TFM_ERROR, "scale bits %ld out of [0, 31]", (long)bits);
  for (int32_t i = 0; i < in->dims[0]; ++i) y[i] = sig_sqrt64(x[i]) >> bits;
  return TFM_OK;
}

static const tfm_kernel kKernel = {"SignalFilterBankSquareRoot", 1, prepare, eval};
const tfm_kernel *tfm_register_signal_filter_bank_square_root(void) { return &kKernel; }
