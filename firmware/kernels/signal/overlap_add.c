/* SignalOverlapAdd (int16 saturating, float): each frame of frame_size
 * samples is added into a buffer that persists across invocations; the first
 * frame_step samples are output and the buffer shifts by frame_step (zeros
 * enter). Reset zeroes the buffers. (TFLM signal/src/overlap_add.cc.) */
#include <string.h>

#include "signal/signal_common.h"

typedef struct overlap_data {
  void *buffers;          /* outer * frame_size elements */
  uint32_t generation;
  int32_t frame_size, frame_step, frames, outer, type;
} overlap_data;

static tfm_status prepare(tfm_context *ctx, tfm_node *node) {
  tfm_tensor *in, *out;
  sig_opts o;
  int32_t type;
  TFM_TRY(sig_arity(ctx, node, 1, 1));
  TFM_TRY(sig_opts_open(ctx, node, &o));
  TFM_TRY(sig_opt_int(ctx, &o, "T", 0, 255, &type));
  if (type != TFM_INT16 && type != TFM_FLOAT32) {
    return tfm_fail(ctx, TFM_UNSUPPORTED, "type %s not supported (int16, float32)",
                    tfm_type_name((tfm_type)type));
  }
  TFM_TRY(sig_input(ctx, node, 0, type, -1, &in));
  TFM_TRY(sig_output(ctx, node, 0, type, in->rank - 1, &out));
  overlap_data *d;
  TFM_TRY(tfm_alloc_persistent(ctx, sizeof *d, (void **)&d));
  d->type = type;
  d->frame_size = tfm_tensor_dim(in, -1);
  d->frames = tfm_tensor_dim(in, -2);
  TFM_TRY(sig_opt_int(ctx, &o, "frame_step", 1, d->frame_size, &d->frame_step));
  if (in->rank < 2 || d->frames <= 0) return tfm_fail(ctx, TFM_BAD_MODEL, "input needs rank >= 2");
  d->outer = tfm_tensor_elements(in) / (d->frame_size * d->frames);
  if (tfm_tensor_elements(out) != (int64_t)d->outer * d->frames * d->frame_step) {
    return tfm_fail(ctx, TFM_BAD_MODEL, "output needs %ld frames of %ld samples",
                    (long)(d->outer * d->frames), (long)d->frame_step);
  }
  TFM_TRY(tfm_alloc_persistent(ctx, (size_t)tfm_type_size((tfm_type)type) *
                               (size_t)(d->outer * d->frame_size), &d->buffers));
  node->data = d;
  return TFM_OK;
}

static tfm_status eval(tfm_context *ctx, tfm_node *node) {
  overlap_data *d = (overlap_data *)node->data;
  const void *x = tfm_input(ctx, node, 0)->data;
  void *y = tfm_output(ctx, node, 0)->data;
  const int32_t size = d->frame_size, step = d->frame_step;
  const size_t esize = tfm_type_size((tfm_type)d->type);
  if (sig_state_fresh(ctx, &d->generation)) memset(d->buffers, 0, esize * (size_t)(d->outer * size));
  for (int32_t i = 0; i < d->outer; ++i) {
    for (int32_t k = 0; k < d->frames; ++k) {
      const int32_t frame = i * d->frames + k;
      if (d->type == TFM_INT16) {
        int16_t *buf = (int16_t *)d->buffers + i * size;
        const int16_t *in = (const int16_t *)x + frame * size;
        for (int32_t j = 0; j < size; ++j) buf[j] = sig_sat16((int32_t)in[j] + buf[j]);
      } else {
        float *buf = (float *)d->buffers + i * size;
        const float *in = (const float *)x + frame * size;
        for (int32_t j = 0; j < size; ++j) buf[j] += in[j];
      }
      uint8_t *buf = (uint8_t *)d->buffers + esize * (size_t)(i * size);
      memcpy((uint8_t *)y + esize * (size_t)(frame * step), buf, esize * (size_t)step);
      memmove(buf, buf + esize * (size_t)step, esize * (size_t)(size - step));
      memset(buf + esize * (size_t)(size - step), 0, esize * (size_t)step);
    }
  }
  return TFM_OK;
}

static const tfm_kernel kKernel = {"SignalOverlapAdd", 1, prepare, eval};
const tfm_kernel *tfm_register_signal_overlap_add(void) { return &kKernel; }
