/* SignalFilterBankSpectralSubtraction: per-channel noise estimate (state,
 * persists across invocations, cleared by reset) smoothed with alternating
 * even/odd coefficients, subtracted from the signal with a floor
 * (TFLM signal/src/filter_bank_spectral_subtraction.cc). Outputs: the
 * signal and a copy of the noise estimate. */
#include <string.h>

#include "signal/signal_common.h"

typedef struct spectral_data {
  uint32_t *noise;
  uint32_t generation;
  int32_t num_channels;
  int32_t smoothing, one_minus_smoothing;
  int32_t alt_smoothing, alt_one_minus_smoothing;
  int32_t min_signal_remaining;
  int32_t smoothing_bits, spectral_subtraction_bits;
  bool clamping;
} spectral_data;

static tfm_status prepare(tfm_context *ctx, tfm_node *node) {
  tfm_tensor *in, *out, *noise;
  TFM_TRY(sig_arity(ctx, node, 1, 2));
  TFM_TRY(sig_input(ctx, node, 0, TFM_UINT32, 1, &in));
  TFM_TRY(sig_output(ctx, node, 0, TFM_UINT32, 1, &out));
  TFM_TRY(sig_output(ctx, node, 1, TFM_UINT32, 1, &noise));
  sig_opts o;
  spectral_data *d;
  TFM_TRY(sig_opts_open(ctx, node, &o));
  TFM_TRY(tfm_alloc_persistent(ctx, sizeof *d, (void **)&d));
  TFM_TRY(sig_opt_int(ctx, &o, "num_channels", 1, 4096, &d->num_channels));
  TFM_TRY(sig_opt_int(ctx, &o, "smoothing", 0, INT32_MAX, &d->smoothing));
  TFM_TRY(sig_opt_int(ctx, &o, "one_minus_smoothing", 0, INT32_MAX, &d->one_minus_smoothing));
  TFM_TRY(sig_opt_int(ctx, &o, "alternate_smoothing", 0, INT32_MAX, &d->alt_smoothing));
  TFM_TRY(sig_opt_int(ctx, &o, "alternate_one_minus_smoothing", 0, INT32_MAX,
                      &d->alt_one_minus_smoothing));
  TFM_TRY(sig_opt_int(ctx, &o, "min_signal_remaining", 0, INT32_MAX, &d->min_signal_remaining));
  TFM_TRY(sig_opt_int(ctx, &o, "smoothing_bits", 0, 31, &d->smoothing_bits));
  TFM_TRY(sig_opt_int(ctx, &o, "spectral_subtraction_bits", 0, 63,
                      &d->spectral_subtraction_bits));
  TFM_TRY(sig_opt_bool(ctx, &o, "clamping", &d->clamping));
  const int32_t n = d->num_channels;
  if (in->dims[0] < n || out->dims[0] < n || noise->dims[0] < n) {
    return tfm_fail(ctx, TFM_BAD_MODEL, "tensors need num_channels = %ld values", (long)n);
  }
  TFM_TRY(tfm_alloc_persistent(ctx, sizeof(uint32_t) * (size_t)n, (void **)&d->noise));
  node->data = d;
  return TFM_OK;
}

static tfm_status eval(tfm_context *ctx, tfm_node *node) {
  spectral_data *d = (spectral_data *)node->data;
  const uint32_t *x = (const uint32_t *)tfm_input(ctx, node, 0)->data;
  uint32_t *y = (uint32_t *)tfm_output(ctx, node, 0)->data;
  uint32_t *noise_out = (uint32_t *)tfm_output(ctx, node, 1)->data;
  uint32_t *noise = d->noise;
  if (sig_state_fresh(ctx, &d->generation)) memset(noise, 0, sizeof(uint32_t) * (size_t)d->num_channels);
  const int sbits = d->smoothing_bits, ssbits = d->spectral_subtraction_bits;
  for (int32_t i = 0; i < d->num_channels; ++i) {
    const uint32_t smoothing = (uint32_t)((i & 1) ? d->alt_smoothing : d->smoothing);
    const uint32_t one_minus = (uint32_t)((i & 1) ? d->alt_one_minus_smoothing
                                                  : d->one_minus_smoothing);
    const uint32_t up = x[i] << sbits;
    noise[i] = (uint32_t)(((uint64_t)up * smoothing + (uint64_t)noise[i] * one_minus) >> ssbits);
    uint32_t estimate = noise[i];
    if (estimate > up) {
      estimate = up;
      if (d->clamping) noise[i] = estimate;
    }
    const uint32_t floor = (uint32_t)(((uint64_t)x[i] * (uint32_t)d->min_signal_remaining) >> ssbits);
    const uint32_t sub = (up - estimate) >> sbits;
    y[i] = sub > floor ? sub : floor;
  }
  memcpy(noise_out, noise, sizeof(uint32_t) * (size_t)d->num_channels);
  return TFM_OK;
}

static const tfm_kernel kKernel = {"SignalFilterBankSpectralSubtraction", 1, prepare, eval};
const tfm_kernel *tfm_register_signal_filter_bank_spectral_subtraction(void) { return &kKernel; }
