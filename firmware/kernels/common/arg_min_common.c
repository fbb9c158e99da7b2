/* ARG_MIN: index of the first smallest value along an axis (common/arg_minmax.h). */
#include "common/arg_min.h"

#include "common/arg_minmax.h"
#include "tfm/kernels.h"

tfm_status tfm_arg_min_eval_reference(tfm_context *ctx, tfm_node *node) {
  return tfm_arg_minmax_eval(ctx, node, false);
}
