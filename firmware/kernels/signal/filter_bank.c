/* SignalFilterBank: mel filter bank over an energy spectrum, uint64
 * accumulators (TFLM signal/src/filter_bank.cc). Channel i (0..num_channels)
 * sums weights * input over [freq_start[i], freq_start[i] + width[i]); its
 * unweighted sum carries into channel i + 1; channel 0 is discarded.
 * Every start/width is checked against the tensors once per eval (they may
 * be non-constant inputs). */
#include "signal/signal_common.h"

typedef struct filter_bank_data {
  int32_t num_channels;
} filter_bank_data;

static tfm_status prepare(tfm_context *ctx, tfm_node *node) {
  tfm_tensor *t;
  TFM_TRY(sig_arity(ctx, node, 6, 1));
  TFM_TRY(sig_input(ctx, node, 0, TFM_UINT32, 1, &t));
  for (int i = 1; i < 6; ++i) TFM_TRY(sig_input(ctx, node, i, TFM_INT16, 1, &t));
  TFM_TRY(sig_output(ctx, node, 0, SIG_UINT64, 1, &t));
  sig_opts o;
  filter_bank_data *d;
  TFM_TRY(sig_opts_open(ctx, node, &o));
  TFM_TRY(tfm_alloc_persistent(ctx, sizeof *d, (void **)&d));
  TFM_TRY(sig_opt_int(ctx, &o, "num_channels", 1, 4096, &d->num_channels));
  if (t->dims[0] != d->num_channels) {
    return tfm_fail(ctx, TFM_BAD_MODEL, "output has %ld channels, num_channels is %ld",
                    (long)t->dims[0], (long)d->num_channels);
  }
  for (int i = 3; i < 6; ++i) {
    if (tfm_input(ctx, node, i)->dims[0] < d->num_channels + 1) {
      return tfm_fail(ctx, TFM_BAD_MODEL, "input %d needs num_channels + 1 = %ld values", i,
                      (long)(d->num_channels + 1));
    }
  }
  node->data = d;
  return TFM_OK;
}

static tfm_status eval(tfm_context *ctx, tfm_node *node) {
  const filter_bank_data *d = (const filter_bank_data *)node->data;
  const tfm_tensor *in = tfm_input(ctx, node, 0);
  const tfm_tensor *wt = tfm_input(ctx, node, 1), *uw = tfm_input(ctx, node, 2);
  const uint32_t *x = (const uint32_t *)in->data;
  const int16_t *weights = (const int16_t *)wt->data, *unweights = (const int16_t *)uw->data;
  const int16_t *starts = (const int16_t *)tfm_input(ctx, node, 3)->data;
  const int16_t *wstarts = (const int16_t *)tfm_input(ctx, node, 4)->data;
  const int16_t *widths = (const int16_t *)tfm_input(ctx, node, 5)->data;
  uint64_t *y = (uint64_t *)tfm_output(ctx, node, 0)->data;
  const int32_t n_in = in->dims[0];
  const int32_t n_w = wt->dims[0] < uw->dims[0] ? wt->dims[0] : uw->dims[0];
  uint64_t acc = 0, carry = 0;
  for (int32_t ch = 0; ch <= d->num_channels; ++ch) {
    const int32_t f0 = starts[ch], w0 = wstarts[ch], width = widths[ch];
    if (f0 < 0 || w0 < 0 || width < 0 || f0 + width > n_in || w0 + width > n_w) {
      return tfm_fail(ctx, TFM_BAD_MODEL, "channel %ld: frequencies [%ld, +%ld) or weights "
                      "[%ld, +%ld) out of range", (long)ch, (long)f0, (long)width, (long)w0,
                      (long)width);
    }
    for (int32_t j = 0; j < width; ++j) {
      const uint64_t v = x[f0 + j];
      /* As TFLM: the int16 weight converts to uint64 (wraps when negative). */
      acc += (uint64_t)(int64_t)weights[w0 + j] * v;
      carry += (uint64_t)(int64_t)unweights[w0 + j] * v;
    }
    if (ch > 0) y[ch - 1] = acc;
    acc = carry;
    carry = 0;
  }
  return TFM_OK;
}

static const tfm_kernel kKernel = {"SignalFilterBank", 1, prepare, eval};
const tfm_kernel *tfm_register_signal_filter_bank(void) { return &kKernel; }
