/* Offline preparation: the build-time table of per-operator records
 * (tfm/kernel.h, docs/firmware.md). Linked only when a kernel looks a record
 * up (--gc-sections drops it otherwise: no flash cost for other images). */
#include "runtime.h"

/* Images without a generated table get this empty one (magic 0). */
#if defined(__GNUC__)
__attribute__((weak))
#endif
const tfm_offline_table tfm_offline_prep = {0, 0, 0, 0, 0, NULL};

#if defined(__GNUC__)
typedef uint32_t __attribute__((may_alias)) tfm_word_alias;
#endif

enum { OFFLINE_UNCHECKED = 0, OFFLINE_NONE = 1, OFFLINE_VALID = 2, OFFLINE_REFUSED = 3 };

uint32_t tfm_offline_hash(const uint8_t *bytes, uint32_t size) {
  uint32_t h = 2166136261u ^ size;
  uint32_t i = 0;
#if defined(__GNUC__) && defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
  /* word loads on little-endian cores (the model is 4-byte aligned: init checks),
   * four per loop pass: about 3 instructions per word */
  const tfm_word_alias *words = (const tfm_word_alias *)(const void *)bytes;
  for (; i + 16 <= size; i += 16, words += 4) {
    h = (h ^ words[0]) * 16777619u;
    h = (h ^ words[1]) * 16777619u;
    h = (h ^ words[2]) * 16777619u;
    h = (h ^ words[3]) * 16777619u;
  }
#endif
  for (; i + 4 <= size; i += 4) {
#if defined(__GNUC__) && defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    const uint32_t w = ((const tfm_word_alias *)(const void *)bytes)[i / 4];
#else
    const uint32_t w = (uint32_t)bytes[i] | (uint32_t)bytes[i + 1] << 8 |
                       (uint32_t)bytes[i + 2] << 16 | (uint32_t)bytes[i + 3] << 24;
#endif
    h = (h ^ w) * 16777619u;
  }
  if (i < size) {
    uint32_t w = 0;
    for (uint32_t k = 0; i + k < size; ++k) w |= (uint32_t)bytes[i + k] << (8 * k);
    h = (h ^ w) * 16777619u;
  }
  return h;
}

static tfm_status check_table(tfm_context *ctx, const tfm_offline_table *t) {
  if (t->magic != TFM_OFFLINE_MAGIC) {
    ctx->offline = OFFLINE_NONE;
    return TFM_OK;
  }
  const uint32_t hash = tfm_offline_hash(ctx->model, ctx->model_size);
  if (t->version != TFM_OFFLINE_VERSION || t->model_size != ctx->model_size ||
      t->model_hash != hash) {
    ctx->offline = OFFLINE_REFUSED;
    return TFM_RT_FAIL(ctx, TFM_BAD_MODEL, "offline prep table v%lu is for a model of %lu B, hash "
                    "%x; this model has %lu B, hash %x: rebuild the firmware with this model",
                    (unsigned long)t->version, (unsigned long)t->model_size,
                    (unsigned)t->model_hash, (unsigned long)ctx->model_size, (unsigned)hash);
  }
  ctx->offline = OFFLINE_VALID;
  return TFM_OK;
}

tfm_status tfm_offline_data(tfm_context *ctx, const tfm_node *node, uint32_t kind,
                            const void **data, uint32_t *size) {
  const tfm_offline_table *t = &tfm_offline_prep;
  if (node == NULL) node = ctx->current; /* shared prepares: the node being prepared */
  *data = NULL;
  *size = 0;
  if (ctx->offline == OFFLINE_UNCHECKED) TFM_TRY(check_table(ctx, t));
  if (ctx->offline == OFFLINE_REFUSED) {
    return TFM_RT_FAIL(ctx, TFM_BAD_MODEL, "offline prep table refused (made for another model)");
  }
  if (ctx->offline != OFFLINE_VALID) return TFM_OK;
  /* Binary search on (subgraph, op, kind). */
  if (node == NULL) return TFM_OK;
  const uint32_t key_hi = ((uint32_t)node->subgraph << 16) | node->index;
  uint32_t lo = 0, hi = t->count;
  while (lo < hi) {
    const uint32_t mid = lo + (hi - lo) / 2;
    const tfm_offline_entry *e = &t->entries[mid];
    const uint32_t k = ((uint32_t)e->subgraph << 16) | e->op;
    if (k < key_hi || (k == key_hi && e->kind < kind)) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  if (lo < t->count) {
    const tfm_offline_entry *e = &t->entries[lo];
    if (e->subgraph == node->subgraph && e->op == node->index && e->kind == kind) {
      *data = e->data;
      *size = e->size;
    }
  }
  return TFM_OK;
}
