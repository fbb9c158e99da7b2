/* REDUCE_MIN: float32, int8, uint8, int16, int32, int64 over the given axes (common/reduce_ext.h). */
#include "common/reduce_min.h"

#include "common/reduce_ext.h"
#include "tfm/kernels.h"

tfm_status tfm_reduce_min_prepare(tfm_context *ctx, tfm_node *node) {
  static const int kTypes[] = {TFM_FLOAT32, TFM_INT8, TFM_UINT8, TFM_INT16, TFM_INT32, TFM_INT64, -1};
  return tfm_reduce_ext_prepare(ctx, node, "REDUCE_MIN", kTypes, true);
}

tfm_status tfm_reduce_min_eval_reference(tfm_context *ctx, tfm_node *node) {
  return tfm_reduce_ext_eval(ctx, node, TFM_REDUCE_EXT_MIN);
}
