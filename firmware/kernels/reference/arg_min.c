/* ARG_MIN: index of the first smallest value along an axis (common/arg_minmax.h). */
#include "common/arg_minmax.h"
#include "tfm/kernels.h"

static tfm_status eval(tfm_context *ctx, tfm_node *node) {
  return tfm_arg_minmax_eval(ctx, node, false);
}

const tfm_kernel *tfm_register_arg_min(void) {
  static const tfm_kernel kernel = {"ARG_MIN", 3, tfm_arg_minmax_prepare, eval};
  return &kernel;
}
