/* REDUCE_PROD: float32, int32, int64 (plain products) and quantized int8 /
 * int16 over the given axes (common/reduce_ext.h). */
#include "common/reduce_prod.h"

#include "common/reduce_ext.h"
#include "tfm/kernels.h"

tfm_status tfm_reduce_prod_prepare(tfm_context *ctx, tfm_node *node) {
  static const int kTypes[] = {TFM_FLOAT32, TFM_INT32, TFM_INT64, TFM_INT8, TFM_INT16, -1};
  TFM_TRY(tfm_reduce_ext_prepare(ctx, node, "REDUCE_PROD", kTypes, false));
  const tfm_type t = (tfm_type)tfm_input(ctx, node, 0)->type;
  if (t != TFM_INT8 && t != TFM_INT16) return TFM_OK;
  return tfm_reduce_prod_quantized_prepare(ctx, node);
}

tfm_status tfm_reduce_prod_eval_reference(tfm_context *ctx, tfm_node *node) {
  const tfm_type t = (tfm_type)tfm_input(ctx, node, 0)->type;
  if (t == TFM_INT8 || t == TFM_INT16) return tfm_reduce_prod_quantized_eval(ctx, node);
  return tfm_reduce_ext_eval(ctx, node, TFM_REDUCE_EXT_PROD);
}
