/* Registration functions, one per builtin op, and the op table.
 *
 * Each returns the kernel for that op; referencing one links it in. A vendor
 * kernel set replaces the reference file of the same name at build time.
 * The declarations come from the op table, firmware/kernels/ops.def. */
#ifndef TFM_KERNELS_H
#define TFM_KERNELS_H

#include "tfm/kernel.h"

#define TFM_OP(NAME, CODE, SUFFIX, VERSION) const tfm_kernel *tfm_register_##SUFFIX(void);
#include "../../kernels/ops.def"
#undef TFM_OP

#endif /* TFM_KERNELS_H */
