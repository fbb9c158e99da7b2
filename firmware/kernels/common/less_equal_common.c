/* LESS_EQUAL: float32, int8, uint8, int16, int32, int64 with broadcasting -> BOOL (common/compare_common.h). */
#include "common/less_equal.h"

#include "common/compare_common.h"
#include "tfm/kernels.h"

tfm_status tfm_less_equal_prepare(tfm_context *ctx, tfm_node *node) {
  static const int kTypes[] = {TFM_FLOAT32, TFM_INT8, TFM_UINT8, TFM_INT16, TFM_INT32, TFM_INT64, -1};
  return tfm_compare_prepare(ctx, node, "LESS_EQUAL", kTypes);
}

tfm_status tfm_less_equal_eval_reference(tfm_context *ctx, tfm_node *node) {
  return tfm_compare_eval(ctx, node, TFM_CMP_LESS | TFM_CMP_EQUAL);
}
