/* SPLIT_V: inputs (data, size_splits, axis scalar) -> outputs of the
 * (static) sizes along the axis. */
#include "common/ops.h"
#include "common/shape_common.h"
#include "tfm/kernels.h"

static tfm_status prepare(tfm_context *ctx, tfm_node *node) {
  if (node->num_inputs != 3 || node->num_outputs < 1) {
    return tfm_fail(ctx, TFM_BAD_MODEL, "needs 3 inputs and >= 1 output");
  }
  const tfm_tensor *in = tfm_input(ctx, node, 0);
  const tfm_tensor *axis = tfm_input(ctx, node, 2);
  TFM_ENSURE(ctx, in != NULL && axis != NULL);
  TFM_TRY(tfm_shape_split_check_types(ctx, node, in, axis));
  for (int k = 0; k < node->num_outputs; ++k) {
    const tfm_tensor *out = tfm_output(ctx, node, k);
    if (out->rank != in->rank) {
      return tfm_fail(ctx, TFM_BAD_MODEL, "output %d rank %d differs from input rank %d", k,
                      (int)out->rank, (int)in->rank);
    }
  }
  return tfm_shape_split_check_sizes(ctx, node, in);
}

static tfm_status eval(tfm_context *ctx, tfm_node *node) {
  return tfm_shape_split_eval(ctx, node, tfm_input(ctx, node, 0), tfm_input(ctx, node, 2), false);
}

const tfm_kernel *tfm_register_split_v(void) {
  static const tfm_kernel kernel = TFM_BUILTIN_KERNEL(SPLIT_V, prepare, eval);
  return &kernel;
}
