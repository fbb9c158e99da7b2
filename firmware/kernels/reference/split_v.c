/* SPLIT_V: inputs (data, size_splits, axis scalar) -> outputs of the
 * (static) sizes along the axis. */
#include "common/shape_common.h"
#include "tfm/kernels.h"

static tfm_status prepare(tfm_context *ctx, tfm_node *node) {
  if (node->num_inputs != 3 || node->num_outputs < 1) {
    return tfm_fail(ctx, TFM_BAD_MODEL, "needs 3 inputs and >= 1 output");
  }
  const tfm_tensor *in = tfm_input(ctx, node, 0);
  const tfm_tensor *axis = tfm_input(ctx, node, 2);
  TFM_ENSURE(ctx, in != NULL && axis != NULL);
  if (axis->type != TFM_INT32) {
    return tfm_fail(ctx, TFM_UNSUPPORTED, "axis type %s not supported (INT32)",
                    tfm_type_name((tfm_type)axis->type));
  }
  if (tfm_type_size((tfm_type)in->type) == 0) {
    return tfm_fail(ctx, TFM_UNSUPPORTED, "input type %s not supported",
                    tfm_type_name((tfm_type)in->type));
  }
  TFM_TRY(tfm_shape_check_types(ctx, node, in, true, 0));
  int32_t total = 0;
  for (int k = 0; k < node->num_outputs; ++k) {
    const tfm_tensor *out = tfm_output(ctx, node, k);
    if (out->rank != in->rank) {
      return tfm_fail(ctx, TFM_BAD_MODEL, "output %d rank %d differs from input rank %d", k,
                      (int)out->rank, (int)in->rank);
    }
    total += tfm_tensor_elements(out);
  }
  if (total != tfm_tensor_elements(in)) {
    return tfm_fail(ctx, TFM_BAD_MODEL, "outputs hold %ld elements, input %ld", (long)total,
                    (long)tfm_tensor_elements(in));
  }
  return TFM_OK;
}

static tfm_status eval(tfm_context *ctx, tfm_node *node) {
  const tfm_tensor *in = tfm_input(ctx, node, 0);
  const int axis = tfm_shape_axis((int32_t)tfm_shape_read_index(tfm_input(ctx, node, 2), 0),
                                  in->rank);
  if (axis < 0) {
    return tfm_fail(ctx, TFM_BAD_ARGUMENT, "axis out of range for rank %d", (int)in->rank);
  }
  tfm_shape_split_outputs(ctx, node, in, tfm_shape_product(in, 0, axis));
  return TFM_OK;
}

const tfm_kernel *tfm_register_split_v(void) {
  static const tfm_kernel kernel = {"SPLIT_V", 2, prepare, eval};
  return &kernel;
}
