/* The caller's arena: persistent allocations from the tail, temporaries and
 * the planned head from the start. Both ends are aligned so that the bytes a
 * plan needs do not depend on where the caller's arena happens to start
 * (beyond the start's own alignment loss). */
#include <string.h>

#include "runtime.h"

void tfm_arena_setup(tfm_context *ctx, uint8_t *arena, size_t size) {
  uintptr_t a = (uintptr_t)arena;
  uintptr_t base = (a + 15u) & ~(uintptr_t)15u;
  uintptr_t end = (a + size) & ~(uintptr_t)7u;
  if (base > end) base = end;
  ctx->arena = arena;
  ctx->arena_size = size;
  ctx->base = (uint8_t *)base;
  ctx->end = (uint8_t *)end;
  ctx->head = ctx->temp = ctx->temp_peak = ctx->tail = 0;
  ctx->needed = 0;
}

size_t tfm_arena_required(const tfm_context *ctx, size_t head) {
  size_t start_loss = (size_t)(ctx->base - ctx->arena);
  return tfm_align_up(start_loss + head + ctx->tail, 8);
}

tfm_status tfm_arena_too_small(tfm_context *ctx, size_t needed) {
  ctx->needed = needed;
  return TFM_RT_FAIL(ctx, TFM_ARENA_TOO_SMALL, "arena too small: needs %lu bytes, has %lu",
                     (unsigned long)needed, (unsigned long)ctx->arena_size);
}

static size_t free_bytes(const tfm_context *ctx) {
  size_t room = (size_t)(ctx->end - ctx->base);
  size_t used = ctx->temp + ctx->tail;
  return used > room ? 0 : room - used;
}

tfm_status tfm_arena_persistent(tfm_context *ctx, size_t bytes, void **out) {
  size_t n = tfm_align_up(bytes, 8);
  *out = NULL;
  if (n < bytes || n > free_bytes(ctx)) {
    /* A lower bound: later allocations are not known yet. */
    ctx->tail += n;
    size_t needed = tfm_arena_required(ctx, ctx->temp);
    ctx->tail -= n;
    tfm_arena_too_small(ctx, needed);
    return TFM_RT_FAIL(ctx, TFM_ARENA_TOO_SMALL, "arena too small: needs at least %lu bytes, "
                       "has %lu", (unsigned long)needed, (unsigned long)ctx->arena_size);
  }
  ctx->tail += n;
  *out = ctx->end - ctx->tail;
  memset(*out, 0, n);
  return TFM_OK;
}

tfm_status tfm_arena_temp(tfm_context *ctx, size_t bytes, size_t align, void **out) {
  size_t n = tfm_align_up(bytes, align);
  *out = NULL;
  if (n < bytes || n > free_bytes(ctx)) {
    return tfm_arena_too_small(ctx, tfm_arena_required(ctx, ctx->temp + n));
  }
  *out = ctx->base + ctx->temp;
  ctx->temp += n;
  if (ctx->temp > ctx->temp_peak) ctx->temp_peak = ctx->temp;
  return TFM_OK;
}

void tfm_arena_temp_reset(tfm_context *ctx) { ctx->temp = 0; }
