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
  for (size_t i = 0; i < sizeof ops / sizeof ops[0]; ++i) {
    if (ops[i].reg != NULL) tfm_resolver_add_builtin(resolver, ops[i].code, ops[i].reg());
  }
  if (tfm_app_register_added_ops != NULL) tfm_app_register_added_ops(resolver);
}
