/* SUM shared pieces: prepare and the reference eval (see
 * common/sum.h). */
#include "common/sum.h"

#include "common/reduce_common.h"

tfm_status tfm_sum_prepare(tfm_context *ctx, tfm_node *node) {
  return tfm_reduce_prepare(ctx, node, TFM_REDUCE_SUM);
}

tfm_status tfm_sum_eval_reference(tfm_context *ctx, tfm_node *node) {
  return tfm_reduce_eval(ctx, node, TFM_REDUCE_SUM);
}
