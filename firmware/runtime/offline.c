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

/* The stale-table check hashes every word of a model of up to HASH_FULL
 * words (18 KiB); a larger one in its first HASH_HEAD and last HASH_TAIL
 * words and HASH_SAMPLES words evenly spaced between them (word
 * HASH_HEAD + i * stride): about 12 K instructions whatever the model's size,
 * instead of 4 per word. What that still catches: tfm_ci/offline_prep.py
 * model_hash. */
enum {
  HASH_HEAD = 256,
  HASH_TAIL = 256,
  HASH_SAMPLES = 2048,
  HASH_FULL = HASH_HEAD + HASH_TAIL + 2 * HASH_SAMPLES
};
#define FNV_PRIME 16777619u
#if defined(__GNUC__) && defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define WORD_LOADS 1 /* the model is 4-byte aligned: init checks */
#else
#define WORD_LOADS 0
#endif

/* Word k of the model, little-endian; a last partial word zero-padded. */
static uint32_t model_word(const uint8_t *bytes, uint32_t size, uint32_t k) {
  const uint32_t i = 4 * k;
  if (i + 4 <= size) {
#if WORD_LOADS
    return ((const tfm_word_alias *)(const void *)bytes)[k];
#else
    return (uint32_t)bytes[i] | (uint32_t)bytes[i + 1] << 8 | (uint32_t)bytes[i + 2] << 16 |
           (uint32_t)bytes[i + 3] << 24;
#endif
  }
  uint32_t w = 0;
  for (uint32_t j = 0; i + j < size; ++j) w |= (uint32_t)bytes[i + j] << (8 * j);
  return w;
}

/* FNV-1a step over words [k, k1) of the model. */
static uint32_t hash_words(uint32_t h, const uint8_t *bytes, uint32_t size, uint32_t k,
                           uint32_t k1) {
#if WORD_LOADS
  /* word loads, four per loop pass: about 3 instructions per word */
  const uint32_t full = size / 4 < k1 ? size / 4 : k1;
  const tfm_word_alias *words = (const tfm_word_alias *)(const void *)bytes;
  for (; k + 4 <= full; k += 4) {
    h = (h ^ words[k]) * FNV_PRIME;
    h = (h ^ words[k + 1]) * FNV_PRIME;
    h = (h ^ words[k + 2]) * FNV_PRIME;
    h = (h ^ words[k + 3]) * FNV_PRIME;
  }
#endif
  for (; k < k1; ++k) h = (h ^ model_word(bytes, size, k)) * FNV_PRIME;
  return h;
}

uint32_t tfm_offline_hash(const uint8_t *bytes, uint32_t size) {
  const uint32_t h = 2166136261u ^ size;
  const uint32_t n = size / 4 + (size % 4 != 0);
  if (n <= HASH_FULL) return hash_words(h, bytes, size, 0, n);
  uint32_t hs = hash_words(h, bytes, size, 0, HASH_HEAD);
  const uint32_t stride = (n - HASH_HEAD - HASH_TAIL) / HASH_SAMPLES; /* >= 2 */
  /* sample i: word HASH_HEAD + i * stride (before the tail: a whole word) */
  uint32_t k = HASH_HEAD;
#if WORD_LOADS
  const tfm_word_alias *w = (const tfm_word_alias *)(const void *)bytes + k;
  for (const tfm_word_alias *end = w + HASH_SAMPLES * stride; w != end; w += stride) {
    hs = (hs ^ *w) * FNV_PRIME;
  }
#else
  for (uint32_t i = 0; i < HASH_SAMPLES; ++i, k += stride) {
    hs = (hs ^ model_word(bytes, size, k)) * FNV_PRIME;
  }
#endif
  return hash_words(hs, bytes, size, n - HASH_TAIL, n);
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
