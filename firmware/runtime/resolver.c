/* Op resolver: a small caller-owned table searched linearly at allocate. */
#include <string.h>

#include "tfm/resolver.h"

enum { CODE_CUSTOM = 32 };

void tfm_resolver_init(tfm_resolver *r, tfm_resolver_entry *storage, int capacity) {
  r->entries = storage;
  r->count = 0;
  r->capacity = capacity;
  r->overflowed = 0;
}

static tfm_status add(tfm_resolver *r, int32_t code, const char *name, const tfm_kernel *k) {
  if (k == NULL || k->eval == NULL) return TFM_BAD_ARGUMENT;
  if (r->count >= r->capacity) {
    r->overflowed++;
    return TFM_BAD_ARGUMENT;
  }
  if (tfm_resolver_find(r, code, name) != NULL) return TFM_BAD_ARGUMENT;
  tfm_resolver_entry *e = &r->entries[r->count++];
  e->builtin_code = code;
  e->custom_name = name;
  e->kernel = k;
  return TFM_OK;
}

tfm_status tfm_resolver_add_builtin(tfm_resolver *r, int32_t builtin_code, const tfm_kernel *k) {
  if (builtin_code == CODE_CUSTOM) return TFM_BAD_ARGUMENT;
  return add(r, builtin_code, NULL, k);
}

tfm_status tfm_resolver_add_custom(tfm_resolver *r, const char *name, const tfm_kernel *k) {
  if (name == NULL) return TFM_BAD_ARGUMENT;
  return add(r, CODE_CUSTOM, name, k);
}

const tfm_kernel *tfm_resolver_find(const tfm_resolver *r, int32_t builtin_code,
                                    const char *custom_name) {
  for (int i = 0; i < r->count; ++i) {
    const tfm_resolver_entry *e = &r->entries[i];
    if (e->builtin_code != builtin_code) continue;
    if (builtin_code != CODE_CUSTOM) return e->kernel;
    if (custom_name != NULL && strcmp(e->custom_name, custom_name) == 0) return e->kernel;
  }
  return NULL;
}
