/* FILL: an output of the shape held by input 0 (INT32/INT64, equal to the
 * static output shape) with every element the scalar input 1. The value's
 * type is the output's: float32, int8, int16, int32, int64, bool (values
 * are copied, so a quantized value must share the output's quantization). */
#include "common/fill.h"

#include "common/layout_common.h"
#include "common/shape_common.h"
#include "tfm/kernels.h"

tfm_status tfm_fill_prepare(tfm_context *ctx, tfm_node *node) {
  TFM_TRY(tfm_shape_check_io(ctx, node, 2, 2, 1));
  const tfm_tensor *value = tfm_input(ctx, node, 1);
  const tfm_tensor *out = tfm_output(ctx, node, 0);
  const tfm_type t = (tfm_type)out->type;
  if (t != TFM_FLOAT32 && t != TFM_INT8 && t != TFM_INT16 && t != TFM_INT32 && t != TFM_INT64 &&
      t != TFM_BOOL) {
    return tfm_fail(ctx, TFM_UNSUPPORTED, "output type %s not supported", tfm_type_name(t));
  }
  TFM_TRY(tfm_layout_same_type(ctx, "value", value, "output", out, true));
  if (tfm_tensor_elements(value) != 1) {
    return tfm_fail(ctx, TFM_BAD_MODEL, "value must be a scalar, has %d elements",
                    tfm_tensor_elements(value));
  }
  return TFM_OK;
}

tfm_status tfm_fill_eval_reference(tfm_context *ctx, tfm_node *node) {
  const tfm_tensor *dims_t = tfm_input(ctx, node, 0);
  const tfm_tensor *value = tfm_input(ctx, node, 1);
  tfm_tensor *out = tfm_output(ctx, node, 0);
  int32_t dims[TFM_MAX_DIMS];
  int n;
  TFM_TRY(tfm_layout_read_ints(ctx, "dims", dims_t, dims, TFM_MAX_DIMS, &n, 1, 1));
  TFM_TRY(tfm_layout_expect_dims(ctx, "output", out, dims, n));
  const size_t es = tfm_type_size((tfm_type)out->type);
  const int32_t count = tfm_tensor_elements(out);
  uint8_t *o = (uint8_t *)out->data;
  for (int32_t i = 0; i < count; ++i) tfm_shape_copy(o + (size_t)i * es, value->data, es);
  return TFM_OK;
}
