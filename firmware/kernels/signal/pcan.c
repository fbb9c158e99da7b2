/* SignalPCAN: per-channel energy normalization, gain from a piecewise
 * quadratic lookup of the noise estimate, then the "shrink" curve
 * (TFLM signal/src/pcan_argc_fixed.cc; kPcanSnrBits 12, kPcanOutputBits 6). */
#include "signal/signal_common.h"

enum { SNR_BITS = 12, OUTPUT_BITS = 6, GAIN_LUT_MIN = 4 * 32 - 6 + 3 };

typedef struct pcan_data {
  int32_t snr_shift;
} pcan_data;

static tfm_status prepare(tfm_context *ctx, tfm_node *node) {
  tfm_tensor *in, *noise, *lut, *out;
  TFM_TRY(sig_arity(ctx, node, 3, 1));
  TFM_TRY(sig_input(ctx, node, 0, TFM_UINT32, 1, &in));
  TFM_TRY(sig_input(ctx, node, 1, TFM_UINT32, 1, &noise));
  TFM_TRY(sig_input(ctx, node, 2, TFM_INT16, 1, &lut));
  TFM_TRY(sig_output(ctx, node, 0, TFM_UINT32, 1, &out));
  if (in->dims[0] <= 0 || noise->dims[0] != in->dims[0] || out->dims[0] != in->dims[0]) {
    return tfm_fail(ctx, TFM_BAD_MODEL, "input, noise estimate and output differ in size");
  }
  /* The lookup reaches lut[4 * 32 - 6 + 2] for inputs near 2^32. */
  if (lut->dims[0] < GAIN_LUT_MIN) {
    return tfm_fail(ctx, TFM_BAD_MODEL, "gain table has %ld values, needs %d",
                    (long)lut->dims[0], GAIN_LUT_MIN);
  }
  sig_opts o;
  pcan_data *d;
  TFM_TRY(sig_opts_open(ctx, node, &o));
  TFM_TRY(tfm_alloc_persistent(ctx, sizeof *d, (void **)&d));
  TFM_TRY(sig_opt_int(ctx, &o, "snr_shift", 0, 63, &d->snr_shift));
  node->data = d;
  return TFM_OK;
}

static int16_t wide_dynamic(uint32_t x, const int16_t *lut) {
  if (x <= 2) return lut[x];
  const int interval = sig_msb32(x);
  lut += 4 * interval - 6;
  const int32_t frac = (int32_t)((interval < 11 ? x << (11 - interval) : x >> (interval - 11)) &
                                 0x3FF);
  int32_t r = ((int32_t)lut[2] * frac) >> 5;
  r += (int32_t)((uint32_t)lut[1] << 5);
  r = (int32_t)((uint32_t)r * (uint32_t)frac);  /* TFLM's int32 product, wrap-safe */
  r = (int32_t)((uint32_t)r + (1u << 14)) >> 15;
  r += lut[0];
  return (int16_t)r;
}

static uint32_t shrink(uint32_t x) {
  if (x < (2u << SNR_BITS)) return (x * x) >> (2 + 2 * SNR_BITS - OUTPUT_BITS);
  return (x >> (SNR_BITS - OUTPUT_BITS)) - (1u << OUTPUT_BITS);
}

static tfm_status eval(tfm_context *ctx, tfm_node *node) {
  const pcan_data *d = (const pcan_data *)node->data;
  const tfm_tensor *in = tfm_input(ctx, node, 0);
  const uint32_t *x = (const uint32_t *)in->data;
  const uint32_t *noise = (const uint32_t *)tfm_input(ctx, node, 1)->data;
  const int16_t *lut = (const int16_t *)tfm_input(ctx, node, 2)->data;
  uint32_t *y = (uint32_t *)tfm_output(ctx, node, 0)->data;
  for (int32_t i = 0; i < in->dims[0]; ++i) {
    /* int16 gain to uint32 as TFLM (sign-extends when negative) */
    const uint32_t gain = (uint32_t)(int32_t)wide_dynamic(noise[i], lut);
    const uint32_t snr = (uint32_t)(((uint64_t)x[i] * gain) >> d->snr_shift);
    y[i] = shrink(snr);
  }
  return TFM_OK;
}

static const tfm_kernel kKernel = {"SignalPCAN", 1, prepare, eval};
const tfm_kernel *tfm_register_signal_pcan(void) { return &kKernel; }
