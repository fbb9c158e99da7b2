/* SignalFramer: cuts each innermost row of int16 samples, frame_step new
 * samples at a time, into frames of frame_size from a delay line that
 * persists across invocations (optionally prefilled with frame_size -
 * frame_step zeros; reset restores that). output_valid is false while a row
 * has not yet gathered a whole frame (the frame is then left unwritten, as
 * TFLM does). (TFLM signal/micro/kernels/framer.cc.) */
#include "signal/fifo16.h"

typedef struct framer_data {
  sig_fifo16 *fifos;
  uint32_t generation;
  int32_t frame_size, frame_step, outer, frames;
  bool prefill;
} framer_data;

static void reset(framer_data *d) {
  for (int32_t i = 0; i < d->outer; ++i) {
    sig_fifo16_reset(&d->fifos[i], d->prefill ? d->frame_size - d->frame_step : 0);
  }
}

static tfm_status prepare(tfm_context *ctx, tfm_node *node) {
  tfm_tensor *in, *out, *valid;
  TFM_TRY(sig_arity(ctx, node, 1, 2));
  TFM_TRY(sig_input(ctx, node, 0, TFM_INT16, -1, &in));
  TFM_TRY(sig_output(ctx, node, 0, TFM_INT16, in->rank + 1, &out));
  TFM_TRY(sig_output(ctx, node, 1, TFM_BOOL, 0, &valid));
  sig_opts o;
  framer_data *d;
  TFM_TRY(sig_opts_open(ctx, node, &o));
  TFM_TRY(tfm_alloc_persistent(ctx, sizeof *d, (void **)&d));
  TFM_TRY(sig_opt_int(ctx, &o, "frame_size", 1, 1 << 16, &d->frame_size));
  TFM_TRY(sig_opt_int(ctx, &o, "frame_step", 1, 1 << 16, &d->frame_step));
  TFM_TRY(sig_opt_bool(ctx, &o, "prefill", &d->prefill));
  const int32_t inner = tfm_tensor_dim(in, -1);
  if (in->rank < 1 || inner < d->frame_step || inner % d->frame_step != 0) {
    return tfm_fail(ctx, TFM_BAD_MODEL, "innermost input dim %ld is not a multiple of "
                    "frame_step %ld", (long)inner, (long)d->frame_step);
  }
  if (d->prefill && d->frame_size < d->frame_step) {
    return tfm_fail(ctx, TFM_UNSUPPORTED, "prefill needs frame_size >= frame_step");
  }
  d->outer = tfm_tensor_elements(in) / inner;
  d->frames = inner / d->frame_step;
  if (tfm_tensor_elements(out) != (int64_t)d->outer * d->frames * d->frame_size) {
    return tfm_fail(ctx, TFM_BAD_MODEL, "output needs %ld frames of %ld samples",
                    (long)(d->outer * d->frames), (long)d->frame_size);
  }
  /* TFLM's capacity: frame_size rounded up to a multiple of frame_step */
  const int32_t capacity = (d->frame_size + d->frame_step - 1) / d->frame_step * d->frame_step;
  TFM_TRY(tfm_alloc_persistent(ctx, sizeof(sig_fifo16) * (size_t)d->outer, (void **)&d->fifos));
  for (int32_t i = 0; i < d->outer; ++i) TFM_TRY(sig_fifo16_init(ctx, &d->fifos[i], capacity));
  reset(d);
  node->data = d;
  return TFM_OK;
}

static tfm_status eval(tfm_context *ctx, tfm_node *node) {
  framer_data *d = (framer_data *)node->data;
  const int16_t *x = (const int16_t *)tfm_input(ctx, node, 0)->data;
  int16_t *y = (int16_t *)tfm_output(ctx, node, 0)->data;
  bool *valid = (bool *)tfm_output(ctx, node, 1)->data;
  if (sig_state_fresh(ctx, &d->generation)) reset(d);
  *valid = true;
  for (int32_t i = 0; i < d->outer; ++i) {
    sig_fifo16 *f = &d->fifos[i];
    for (int32_t k = 0; k < d->frames; ++k) {
      const int32_t frame = i * d->frames + k;
      sig_fifo16_write(f, x + frame * d->frame_step, d->frame_step);
      if (f->count >= d->frame_size) {
        memcpy(y + frame * d->frame_size, f->data, sizeof(int16_t) * (size_t)d->frame_size);
        sig_fifo16_discard(f, d->frame_step);
      } else {
        *valid = false;
      }
    }
  }
  return TFM_OK;
}

static const tfm_kernel kKernel = {"SignalFramer", 1, prepare, eval};
const tfm_kernel *tfm_register_signal_framer(void) { return &kKernel; }
