/* A linear int16 FIFO in the arena for the Signal ops with delay lines
 * (Framer, Stacker, Delay): the oldest sample first, `count` valid. The same
 * contents as TFLM's circular buffers; callers check capacity in prepare. */
#ifndef TFM_KERNELS_SIGNAL_FIFO16_H
#define TFM_KERNELS_SIGNAL_FIFO16_H

#include <string.h>

#include "signal/signal_common.h"

typedef struct sig_fifo16 {
  int16_t *data;
  int32_t count;
  int32_t capacity;
} sig_fifo16;

static inline tfm_status sig_fifo16_init(tfm_context *ctx, sig_fifo16 *f, int32_t capacity) {
  f->count = 0;
  f->capacity = capacity;
  return tfm_alloc_persistent(ctx, sizeof(int16_t) * (size_t)capacity, (void **)&f->data);
}
/* Empty, then `zeros` zero samples. */
static inline void sig_fifo16_reset(sig_fifo16 *f, int32_t zeros) {
  memset(f->data, 0, sizeof(int16_t) * (size_t)zeros);
  f->count = zeros;
}
static inline void sig_fifo16_write(sig_fifo16 *f, const int16_t *v, int32_t n) {
  memcpy(f->data + f->count, v, sizeof(int16_t) * (size_t)n);
  f->count += n;
}
static inline void sig_fifo16_discard(sig_fifo16 *f, int32_t n) {
  f->count -= n;
  memmove(f->data, f->data + n, sizeof(int16_t) * (size_t)f->count);
}

#endif /* TFM_KERNELS_SIGNAL_FIFO16_H */
