/* MEAN shared pieces: prepare and the reference eval (see
 * common/mean.h). */
#include "common/mean.h"

#include "common/reduce_common.h"

tfm_status tfm_mean_prepare(tfm_context *ctx, tfm_node *node) {
  return tfm_reduce_prepare(ctx, node, TFM_REDUCE_MEAN);
}

tfm_status tfm_mean_eval_reference(tfm_context *ctx, tfm_node *node) {
  return tfm_reduce_eval(ctx, node, TFM_REDUCE_MEAN);
}
