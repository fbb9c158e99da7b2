/* Registers every builtin kernel linked into this image. Each registration
 * function is referenced weakly, so a kernel that is not compiled in (yet)
 * is simply skipped; so is tfm_app_register_added_ops(), which the engine
 * generates when a kernel set adds ops the table lacks. Used by the host
 * runner and the generic board images. */
#include "app.h"

#define TFM_OP(NAME, CODE, SUFFIX, VERSION) \
  extern const tfm_kernel *tfm_register_##SUFFIX(void) __attribute__((weak));
#include "../kernels/ops.def"
#undef TFM_OP

/* Weak: present only when the engine generated it (app.h). */
void tfm_app_register_added_ops(tfm_resolver *resolver) __attribute__((weak));
#define TFM_SIGNAL_OP(NAME, SUFFIX) \
  extern const tfm_kernel *tfm_register_signal_##SUFFIX(void) __attribute__((weak));
#include "../kernels/signal/signal_ops.h"
#undef TFM_SIGNAL_OP
#define TFM_CUSTOM_OP(NAME, SUFFIX, VERSION) \
  extern const tfm_kernel *tfm_register_##SUFFIX(void) __attribute__((weak));
#include "../kernels/custom_ops.def"
#undef TFM_CUSTOM_OP

typedef struct custom_entry {
  const char *name;
  const tfm_kernel *(*reg)(void);
} custom_entry;

typedef struct op_entry {
  int32_t code;
  const tfm_kernel *(*reg)(void);
} op_entry;

void tfm_app_register_ops(tfm_resolver *resolver) {
  static const op_entry ops[] = {
#define TFM_OP(NAME, CODE, SUFFIX, VERSION) {CODE, tfm_register_##SUFFIX},
#include "../kernels/ops.def"
#undef TFM_OP
  };
  enum { kOps = sizeof ops / sizeof ops[0], kCustomRoom = 32 };  /* Signal + custom_ops.def + the caller's */
  /* ops.def lists more ops than the callers' tables (64 entries) hold: move the
   * resolver to storage for every builtin plus room for custom ops, keeping
   * what the caller already added. Board images register only their model's
   * ops (a generated file) and keep the small table. */
  static tfm_resolver_entry storage[kOps + kCustomRoom];
  if (resolver->capacity - resolver->count < (int)kOps + kCustomRoom &&
      resolver->count <= kCustomRoom) {
    for (int i = 0; i < resolver->count; ++i) storage[i] = resolver->entries[i];
    resolver->entries = storage;
    resolver->capacity = kOps + kCustomRoom;
  }
  for (size_t i = 0; i < kOps; ++i) {
    if (ops[i].reg != NULL) tfm_resolver_add_builtin(resolver, ops[i].code, ops[i].reg());
  }
  if (tfm_app_register_added_ops != NULL) tfm_app_register_added_ops(resolver);
  /* TFLM Signal-library custom ops (kernels/signal/) and the other custom ops
   * (kernels/custom_ops.def), by custom name. */
  static const custom_entry customs[] = {
#define TFM_SIGNAL_OP(NAME, SUFFIX) {#NAME, tfm_register_signal_##SUFFIX},
#include "../kernels/signal/signal_ops.h"
#undef TFM_SIGNAL_OP
#define TFM_CUSTOM_OP(NAME, SUFFIX, VERSION) {#NAME, tfm_register_##SUFFIX},
#include "../kernels/custom_ops.def"
#undef TFM_CUSTOM_OP
  };
  for (size_t i = 0; i < sizeof customs / sizeof customs[0]; ++i) {
    if (customs[i].reg != NULL) tfm_resolver_add_custom(resolver, customs[i].name, customs[i].reg());
  }
}
