/* SignalDelay: every innermost row of int16 samples delayed by delay_length
 * samples across invocations (a delay line per row, zeros at the start and
 * after reset). (TFLM signal/micro/kernels/delay.cc.) */
#include "signal/fifo16.h"

typedef struct delay_data {
  sig_fifo16 *fifos;
  uint32_t generation;
  int32_t frame, delay, outer;
} delay_data;

static void reset(delay_data *d) {
  for (int32_t i = 0; i < d->outer; ++i) sig_fifo16_reset(&d->fifos[i], d->delay);
}

static tfm_status prepare(tfm_context *ctx, tfm_node *node) {
  tfm_tensor *in, *out;
  TFM_TRY(sig_arity(ctx, node, 1, 1));
  TFM_TRY(sig_input(ctx, node, 0, TFM_INT16, -1, &in));
  TFM_TRY(sig_output(ctx, node, 0, TFM_INT16, -1, &out));
  sig_opts o;
  delay_data *d;
  TFM_TRY(sig_opts_open(ctx, node, &o));
  TFM_TRY(tfm_alloc_persistent(ctx, sizeof *d, (void **)&d));
  TFM_TRY(sig_opt_int(ctx, &o, "delay_length", 0, 1 << 16, &d->delay));
  d->frame = tfm_tensor_dim(in, -1);
  if (in->rank < 1 || d->frame <= 0 || tfm_tensor_elements(out) != tfm_tensor_elements(in)) {
    return tfm_fail(ctx, TFM_BAD_MODEL, "input and output need rank >= 1 and equal sizes");
  }
  d->outer = tfm_tensor_elements(in) / d->frame;
  TFM_TRY(tfm_alloc_persistent(ctx, sizeof(sig_fifo16) * (size_t)d->outer, (void **)&d->fifos));
  for (int32_t i = 0; i < d->outer; ++i) {
    TFM_TRY(sig_fifo16_init(ctx, &d->fifos[i], d->frame + d->delay));
  }
  reset(d);
  node->data = d;
  return TFM_OK;
}

static tfm_status eval(tfm_context *ctx, tfm_node *node) {
  delay_data *d = (delay_data *)node->data;
  const int16_t *x = (const int16_t *)tfm_input(ctx, node, 0)->data;
  int16_t *y = (int16_t *)tfm_output(ctx, node, 0)->data;
  if (sig_state_fresh(ctx, &d->generation)) reset(d);
  for (int32_t i = 0; i < d->outer; ++i) {
    sig_fifo16 *f = &d->fifos[i];
    sig_fifo16_write(f, x + i * d->frame, d->frame);
    memcpy(y + i * d->frame, f->data, sizeof(int16_t) * (size_t)d->frame);
    sig_fifo16_discard(f, d->frame);
  }
  return TFM_OK;
}

static const tfm_kernel kKernel = {"SignalDelay", 1, prepare, eval};
const tfm_kernel *tfm_register_signal_delay(void) { return &kKernel; }
