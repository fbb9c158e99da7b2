/* FULLY_CONNECTED reference kernel: the shared prepare and reference eval of
 * common/fully_connected.h. */
#include "common/fully_connected.h"
#include "common/ops.h"
#include "tfm/kernels.h"

const tfm_kernel *tfm_register_fully_connected(void) {
  static const tfm_kernel kernel = TFM_BUILTIN_KERNEL(FULLY_CONNECTED, tfm_fully_connected_prepare,
                                                       tfm_fully_connected_eval_reference);
  return &kernel;
}
