/* SignalFilterBankLog: y = min(INT16_MAX, log(x << correction_bits) * scale)
 * in fixed point, 0 for inputs <= 1 (TFLM signal/src/filter_bank_log.cc,
 * log.cc: log2 from the MSB and a 128-segment interpolation table). */
#include "signal/signal_common.h"

typedef struct log_data {
  int32_t correction_bits;
  int32_t output_scale;
} log_data;

static const uint16_t kLogLut[130] = {
    0,    224,  442,  654,  861,  1063, 1259, 1450, 1636, 1817, 1992, 2163, 2329, 2490,
    2646, 2797, 2944, 3087, 3224, 3358, 3487, 3611, 3732, 3848, 3960, 4068, 4172, 4272,
    4368, 4460, 4549, 4633, 4714, 4791, 4864, 4934, 5001, 5063, 5123, 5178, 5231, 5280,
    5326, 5368, 5408, 5444, 5477, 5507, 5533, 5557, 5578, 5595, 5610, 5622, 5631, 5637,
    5640, 5641, 5638, 5633, 5626, 5615, 5602, 5586, 5568, 5547, 5524, 5498, 5470, 5439,
    5406, 5370, 5332, 5291, 5249, 5203, 5156, 5106, 5054, 5000, 4944, 4885, 4825, 4762,
    4697, 4630, 4561, 4490, 4416, 4341, 4264, 4184, 4103, 4020, 3935, 3848, 3759, 3668,
    3575, 3481, 3384, 3286, 3186, 3084, 2981, 2875, 2768, 2659, 2549, 2437, 2323, 2207,
    2090, 1971, 1851, 1729, 1605, 1480, 1353, 1224, 1094, 963,  830,  695,  559,  421,
    282,  142,  0,    0};

enum { LOG_SCALE_LOG2 = 16, LOG_SEGMENTS_LOG2 = 7, LOG_COEFF = 45426 };

static uint32_t log2_fraction(uint32_t x, uint32_t log2x) {
  int32_t frac = (int32_t)(x - ((uint32_t)1 << log2x));
  if (log2x < LOG_SCALE_LOG2) {
    frac = (int32_t)((uint32_t)frac << (LOG_SCALE_LOG2 - log2x));
  } else {
    frac >>= log2x - LOG_SCALE_LOG2;
  }
  const uint32_t seg = (uint32_t)frac >> (LOG_SCALE_LOG2 - LOG_SEGMENTS_LOG2);
  const int32_t c0 = kLogLut[seg], c1 = kLogLut[seg + 1];
  const int32_t seg_base = (int32_t)(seg << (LOG_SCALE_LOG2 - LOG_SEGMENTS_LOG2));
  const int32_t rel = ((c1 - c0) * (frac - seg_base)) >> LOG_SCALE_LOG2;
  return (uint32_t)(frac + c0 + rel);
}

static uint32_t log32(uint32_t x, uint32_t out_scale) {
  const uint32_t integer = (uint32_t)sig_msb32(x) - 1;
  const uint32_t log2 = (integer << LOG_SCALE_LOG2) + log2_fraction(x, integer);
  const uint32_t round = 1u << (LOG_SCALE_LOG2 - 1);
  const uint32_t loge = (uint32_t)(((uint64_t)LOG_COEFF * log2 + round) >> LOG_SCALE_LOG2);
  return (out_scale * loge + round) >> LOG_SCALE_LOG2;  /* uint32 wrap as TFLM */
}

static tfm_status prepare(tfm_context *ctx, tfm_node *node) {
  tfm_tensor *in, *out;
  TFM_TRY(sig_arity(ctx, node, 1, 1));
  TFM_TRY(sig_input(ctx, node, 0, TFM_UINT32, 1, &in));
  TFM_TRY(sig_output(ctx, node, 0, TFM_INT16, 1, &out));
  if (out->dims[0] < in->dims[0]) return tfm_fail(ctx, TFM_BAD_MODEL, "output shorter than input");
  sig_opts o;
  log_data *d;
  TFM_TRY(sig_opts_open(ctx, node, &o));
  TFM_TRY(tfm_alloc_persistent(ctx, sizeof *d, (void **)&d));
  TFM_TRY(sig_opt_int(ctx, &o, "input_correction_bits", 0, 31, &d->correction_bits));
  TFM_TRY(sig_opt_int(ctx, &o, "output_scale", 0, INT32_MAX, &d->output_scale));
  node->data = d;
  return TFM_OK;
}

static tfm_status eval(tfm_context *ctx, tfm_node *node) {
  const log_data *d = (const log_data *)node->data;
  const tfm_tensor *in = tfm_input(ctx, node, 0);
  const uint32_t *x = (const uint32_t *)in->data;
  int16_t *y = (int16_t *)tfm_output(ctx, node, 0)->data;
  for (int32_t i = 0; i < in->dims[0]; ++i) {
    const uint32_t scaled = x[i] << d->correction_bits;
    if (scaled > 1) {
      const uint32_t v = log32(scaled, (uint32_t)d->output_scale);
      y[i] = (int16_t)(v < INT16_MAX ? v : INT16_MAX);
    } else {
      y[i] = 0;
    }
  }
  return TFM_OK;
}

static const tfm_kernel kKernel = {"SignalFilterBankLog", 1, prepare, eval};
const tfm_kernel *tfm_register_signal_filter_bank_log(void) { return &kKernel; }
