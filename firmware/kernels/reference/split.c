/* SPLIT: inputs (axis scalar, data) -> num_splits equal outputs. */
#include "common/shape_common.h"
#include "tfm/kernels.h"

static tfm_status prepare(tfm_context *ctx, tfm_node *node) {
  if (node->num_inputs != 2 || node->num_outputs < 1) {
    return tfm_fail(ctx, TFM_BAD_MODEL, "needs 2 inputs and >= 1 output");
  }
  const tfm_tensor *axis = tfm_input(ctx, node, 0);
  const tfm_tensor *in = tfm_input(ctx, node, 1);
  TFM_ENSURE(ctx, axis != NULL && in != NULL);
  if (axis->type != TFM_INT32) {
    return tfm_fail(ctx, TFM_UNSUPPORTED, "axis type %s not supported (INT32)",
                    tfm_type_name((tfm_type)axis->type));
  }
  if (tfm_type_size((tfm_type)in->type) == 0) {
    return tfm_fail(ctx, TFM_UNSUPPORTED, "input type %s not supported",
                    tfm_type_name((tfm_type)in->type));
  }
  TFM_TRY(tfm_shape_check_types(ctx, node, in, true, 0));
  const int32_t splits = tfm_opt_i32(node, 4, node->num_outputs);
  if (splits != node->num_outputs) {
    return tfm_fail(ctx, TFM_BAD_MODEL, "num_splits %ld but %d outputs", (long)splits,
                    (int)node->num_outputs);
  }
  int32_t total = 0;
  for (int k = 0; k < node->num_outputs; ++k) {
    total += tfm_tensor_elements(tfm_output(ctx, node, k));
  }
  if (total != tfm_tensor_elements(in)) {
    return tfm_fail(ctx, TFM_BAD_MODEL, "outputs hold %ld elements, input %ld", (long)total,
                    (long)tfm_tensor_elements(in));
  }
  if (axis->data != NULL &&
      tfm_shape_axis((int32_t)tfm_shape_read_index(axis, 0), in->rank) < 0) {
    return tfm_fail(ctx, TFM_BAD_MODEL, "axis out of range for rank %d", (int)in->rank);
  }
  return TFM_OK;
}

static tfm_status eval(tfm_context *ctx, tfm_node *node) {
  const tfm_tensor *in = tfm_input(ctx, node, 1);
  const int axis = tfm_shape_axis((int32_t)tfm_shape_read_index(tfm_input(ctx, node, 0), 0),
                                  in->rank);
  if (axis < 0) {
    return tfm_fail(ctx, TFM_BAD_ARGUMENT, "axis out of range for rank %d", (int)in->rank);
  }
  if (in->dims[axis] % node->num_outputs != 0) {
    return tfm_fail(ctx, TFM_BAD_ARGUMENT, "dim %ld not divisible into %d splits",
                    (long)in->dims[axis], (int)node->num_outputs);
  }
  tfm_shape_split_outputs(ctx, node, in, tfm_shape_product(in, 0, axis));
  return TFM_OK;
}

const tfm_kernel *tfm_register_split(void) {
  static const tfm_kernel kernel = {"SPLIT", 4, prepare, eval};
  return &kernel;
}
