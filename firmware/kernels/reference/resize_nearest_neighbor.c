/* RESIZE_NEAREST_NEIGHBOR reference kernel: the shared prepare and reference eval of
 * common/resize_nearest_neighbor.h. */
#include "common/resize_nearest_neighbor.h"
#include "common/ops.h"
#include "tfm/kernels.h"

const tfm_kernel *tfm_register_resize_nearest_neighbor(void) {
  static const tfm_kernel kernel =
      TFM_BUILTIN_KERNEL(RESIZE_NEAREST_NEIGHBOR, tfm_resize_nearest_neighbor_prepare,
                         tfm_resize_nearest_neighbor_eval_reference);
  return &kernel;
}
