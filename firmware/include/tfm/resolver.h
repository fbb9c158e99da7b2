/* Op resolver: maps builtin codes and custom names to kernels.
 *
 * Only kernels added here are referenced, so only they are linked
 * (selective registration). Storage is owned by the caller. */
#ifndef TFM_RESOLVER_H
#define TFM_RESOLVER_H

#include "tfm/kernel.h"

typedef struct tfm_resolver_entry {
  int32_t builtin_code;     /* schema BuiltinOperator, or 32 (CUSTOM) */
  const char *custom_name;  /* for CUSTOM ops, else NULL */
  const tfm_kernel *kernel;
} tfm_resolver_entry;

typedef struct tfm_resolver {
  tfm_resolver_entry *entries;
  int count;
  int capacity;
  int overflowed;  /* adds refused because the table was full (a sizing bug to report) */
} tfm_resolver;

/* `storage` (capacity entries) is owned by the caller and must outlive r. */
void tfm_resolver_init(tfm_resolver *r, tfm_resolver_entry *storage, int capacity);
tfm_status tfm_resolver_add_builtin(tfm_resolver *r, int32_t builtin_code, const tfm_kernel *k);
tfm_status tfm_resolver_add_custom(tfm_resolver *r, const char *name, const tfm_kernel *k);
/* The kernel for a builtin code / custom name, or NULL. */
const tfm_kernel *tfm_resolver_find(const tfm_resolver *r, int32_t builtin_code,
                                    const char *custom_name);

#endif /* TFM_RESOLVER_H */
