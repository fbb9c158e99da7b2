/* SignalStacker: stacks left_context + 1 + right_context frames of
 * num_channels int16 values, advancing stacker_step frames per output, from
 * a buffer that persists across invocations; the first frame is repeated
 * left_context extra times as padding; output_valid is false (output left
 * unwritten) until enough frames arrived. Reset empties the buffer.
 * (TFLM signal/micro/kernels/stacker.cc.) */
#include "signal/fifo16.h"

typedef struct stacker_data {
  sig_fifo16 fifo;
  uint32_t generation;
  int32_t channels, left, right, step, size;
  bool has_first;
} stacker_data;

static tfm_status prepare(tfm_context *ctx, tfm_node *node) {
  tfm_tensor *in, *out, *valid;
  TFM_TRY(sig_arity(ctx, node, 1, 2));
  TFM_TRY(sig_input(ctx, node, 0, TFM_INT16, 1, &in));
  TFM_TRY(sig_output(ctx, node, 0, TFM_INT16, 1, &out));
  TFM_TRY(sig_output(ctx, node, 1, TFM_BOOL, 0, &valid));
  sig_opts o;
  stacker_data *d;
  TFM_TRY(sig_opts_open(ctx, node, &o));
  TFM_TRY(tfm_alloc_persistent(ctx, sizeof *d, (void **)&d));
  TFM_TRY(sig_opt_int(ctx, &o, "num_channels", 1, 4096, &d->channels));
  TFM_TRY(sig_opt_int(ctx, &o, "stacker_left_context", 0, 256, &d->left));
  TFM_TRY(sig_opt_int(ctx, &o, "stacker_right_context", 0, 256, &d->right));
  const int32_t frames = d->left + d->right + 1;
  TFM_TRY(sig_opt_int(ctx, &o, "stacker_step", 1, frames, &d->step));
  d->size = d->channels * frames;
  if (in->dims[0] < d->channels || out->dims[0] < d->size) {
    return tfm_fail(ctx, TFM_BAD_MODEL, "needs %ld input and %ld output values",
                    (long)d->channels, (long)d->size);
  }
  TFM_TRY(sig_fifo16_init(ctx, &d->fifo, d->size));
  node->data = d;
  return TFM_OK;
}

static tfm_status eval(tfm_context *ctx, tfm_node *node) {
  stacker_data *d = (stacker_data *)node->data;
  const int16_t *x = (const int16_t *)tfm_input(ctx, node, 0)->data;
  int16_t *y = (int16_t *)tfm_output(ctx, node, 0)->data;
  bool *valid = (bool *)tfm_output(ctx, node, 1)->data;
  if (sig_state_fresh(ctx, &d->generation)) {
    sig_fifo16_reset(&d->fifo, 0);
    d->has_first = false;
  }
  sig_fifo16_write(&d->fifo, x, d->channels);
  if (!d->has_first) {
    for (int32_t i = 0; i < d->left; ++i) sig_fifo16_write(&d->fifo, x, d->channels);
    d->has_first = true;
  }
  if (d->fifo.count >= d->size) {
    memcpy(y, d->fifo.data, sizeof(int16_t) * (size_t)d->size);
    sig_fifo16_discard(&d->fifo, d->channels * d->step);
    *valid = true;
  } else {
    *valid = false;
  }
  return TFM_OK;
}

static const tfm_kernel kKernel = {"SignalStacker", 1, prepare, eval};
const tfm_kernel *tfm_register_signal_stacker(void) { return &kKernel; }
