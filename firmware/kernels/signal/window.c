/* SignalWindow: y = saturate_int16((x * w) >> shift), the window repeated over
 * the input's innermost frames (TFLM signal/src/window.cc). */
#include "signal/signal_common.h"

typedef struct window_data {
  int32_t shift;
  int32_t size;          /* input elements */
  int32_t window;        /* window length */
} window_data;

static tfm_status prepare(tfm_context *ctx, tfm_node *node) {
  tfm_tensor *in, *w, *out;
  TFM_TRY(sig_arity(ctx, node, 2, 1));
  TFM_TRY(sig_input(ctx, node, 0, TFM_INT16, -1, &in));
  TFM_TRY(sig_input(ctx, node, 1, TFM_INT16, 1, &w));
  TFM_TRY(sig_output(ctx, node, 0, TFM_INT16, in->rank, &out));
  int32_t n = tfm_tensor_elements(in), len = tfm_tensor_dim(w, 0);
  if (in->rank < 1 || tfm_tensor_elements(out) != n) {
    return tfm_fail(ctx, TFM_BAD_MODEL, "input and output need rank >= 1 and equal sizes");
  }
  if (len <= 0 || n % len != 0) {
    return tfm_fail(ctx, TFM_BAD_MODEL, "input size %ld is not a multiple of window %ld",
                    (long)n, (long)len);
  }
  sig_opts o;
  window_data *d;
  TFM_TRY(sig_opts_open(ctx, node, &o));
  TFM_TRY(tfm_alloc_persistent(ctx, sizeof *d, (void **)&d));
  TFM_TRY(sig_opt_int(ctx, &o, "shift", 0, 31, &d->shift));
  d->size = n;
  d->window = len;
  node->data = d;
  return TFM_OK;
}

static tfm_status eval(tfm_context *ctx, tfm_node *node) {
  const window_data *d = (const window_data *)node->data;
  const int16_t *x = (const int16_t *)tfm_input(ctx, node, 0)->data;
  const int16_t *w = (const int16_t *)tfm_input(ctx, node, 1)->data;
  int16_t *y = (int16_t *)tfm_output(ctx, node, 0)->data;
  const int shift = d->shift;
  for (int32_t base = 0; base < d->size; base += d->window) {
    const int16_t *xb = x + base;
    int16_t *yb = y + base;
    for (int32_t i = 0; i < d->window; ++i) yb[i] = sig_sat16(((int32_t)xb[i] * w[i]) >> shift);
  }
  return TFM_OK;
}

static const tfm_kernel kKernel = {"SignalWindow", 1, prepare, eval};
const tfm_kernel *tfm_register_signal_window(void) { return &kKernel; }
