/* Builtin op versions from the op table (kernels/ops.def), for kernel
 * registrations: the table is the one place a kernel's highest version is
 * declared, read by the engine's coverage check as well.
 *
 *   const tfm_kernel *tfm_register_add(void) {
 *     static const tfm_kernel kernel = TFM_BUILTIN_KERNEL(ADD, prepare, eval);
 *     return &kernel;
 *   }
 *
 * A vendor override of a builtin op uses the same macro, so it claims exactly
 * the versions the reference kernel implements. */
#ifndef TFM_KERNELS_OPS_H
#define TFM_KERNELS_OPS_H

#include "tfm/kernel.h"

/* TFM_OP_VERSION_<NAME>: the op's max_version column. */
enum {
#define TFM_OP(NAME, CODE, SUFFIX, VERSION) TFM_OP_VERSION_##NAME = VERSION,
#include "../ops.def"
#undef TFM_OP
  TFM_OP_VERSION_END_
};

/* tfm_kernel initializer for builtin op NAME (an ops.def name). */
#define TFM_BUILTIN_KERNEL(NAME, PREPARE, EVAL) {#NAME, TFM_OP_VERSION_##NAME, PREPARE, EVAL}

#endif /* TFM_KERNELS_OPS_H */
