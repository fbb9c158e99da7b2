/* SignalEnergy: |X[k]|^2 of an int16 complex spectrum for k in
 * [start_index, end_index); other outputs are left unwritten, as TFLM's
 * (signal/src/energy.cc). */
#include "signal/signal_common.h"

#if defined(__ARM_FEATURE_DSP)
#include <arm_acle.h>
#endif

typedef struct energy_data {
  int32_t start, end;
} energy_data;

static tfm_status prepare(tfm_context *ctx, tfm_node *node) {
  tfm_tensor *in, *out;
  TFM_TRY(sig_arity(ctx, node, 1, 1));
  TFM_TRY(sig_input(ctx, node, 0, TFM_INT16, 1, &in));
  TFM_TRY(sig_output(ctx, node, 0, TFM_UINT32, 1, &out));
  int32_t bins = in->dims[0] / 2;
  if (out->dims[0] < bins) bins = out->dims[0];
  sig_opts o;
  energy_data *d;
  TFM_TRY(sig_opts_open(ctx, node, &o));
  TFM_TRY(tfm_alloc_persistent(ctx, sizeof *d, (void **)&d));
  TFM_TRY(sig_opt_int(ctx, &o, "end_index", 0, bins, &d->end));
  TFM_TRY(sig_opt_int(ctx, &o, "start_index", 0, d->end, &d->start));
  node->data = d;
  return TFM_OK;
}

static tfm_status eval(tfm_context *ctx, tfm_node *node) {
  const energy_data *d = (const energy_data *)node->data;
  const int16_t *x = (const int16_t *)tfm_input(ctx, node, 0)->data;
  uint32_t *y = (uint32_t *)tfm_output(ctx, node, 0)->data;
  for (int32_t k = d->start; k < d->end; ++k) {
#if defined(__ARM_FEATURE_DSP)
    /* one SMUAD: re*re + im*im, modulo 2^32 like the sum below */
    uint32_t pair;
    __builtin_memcpy(&pair, &x[2 * k], sizeof pair);
    y[k] = (uint32_t)__smuad((int16x2_t)pair, (int16x2_t)pair);
#else
    const int32_t re = x[2 * k], im = x[2 * k + 1];
    /* In uint32: (-32768)^2 * 2 = 2^31 wraps in TFLM's int32 sum, same bits. */
    y[k] = (uint32_t)(re * re) + (uint32_t)(im * im);
#endif
  }
  return TFM_OK;
}

static const tfm_kernel kKernel = {"SignalEnergy", 1, prepare, eval};
const tfm_kernel *tfm_register_signal_energy(void) { return &kKernel; }
