/* REDUCE_MIN: float32, int8, uint8, int16, int32, int64 over the given axes (common/reduce_ext.h). */
#include "common/reduce_ext.h"
#include "tfm/kernels.h"

static tfm_status prepare(tfm_context *ctx, tfm_node *node) {
  static const int kTypes[] = {TFM_FLOAT32, TFM_INT8, TFM_UINT8, TFM_INT16, TFM_INT32, TFM_INT64, -1};
  return tfm_reduce_ext_prepare(ctx, node, "REDUCE_MIN", kTypes, true);
}

static tfm_status eval(tfm_context *ctx, tfm_node *node) {
  return tfm_reduce_ext_eval(ctx, node, TFM_REDUCE_EXT_MIN);
}

const tfm_kernel *tfm_register_reduce_min(void) {
  static const tfm_kernel kernel = {"REDUCE_MIN", 3, prepare, eval};
  return &kernel;
}
