/* EQUAL: bool, float32, int8, uint8, int16, int32, int64 with broadcasting -> BOOL (common/compare_common.h). */
#include "common/compare_common.h"
#include "tfm/kernels.h"

static tfm_status prepare(tfm_context *ctx, tfm_node *node) {
  static const int kTypes[] = {TFM_BOOL, TFM_FLOAT32, TFM_INT8, TFM_UINT8, TFM_INT16, TFM_INT32, TFM_INT64, -1};
  return tfm_compare_prepare(ctx, node, "EQUAL", kTypes);
}

static tfm_status eval(tfm_context *ctx, tfm_node *node) {
  return tfm_compare_eval(ctx, node, TFM_CMP_EQUAL);
}

const tfm_kernel *tfm_register_equal(void) {
  static const tfm_kernel kernel = {"EQUAL", 4, prepare, eval};
  return &kernel;
}
