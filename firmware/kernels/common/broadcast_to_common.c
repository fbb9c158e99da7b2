/* BROADCAST_TO: the input broadcast (numpy rules) to the shape held by input
 * 1 (INT32/INT64), which must equal the static output shape. Any element type. */
#include "common/broadcast_to.h"

#include "common/layout_common.h"
#include "common/shape_common.h"
#include "tfm/kernels.h"

tfm_status tfm_broadcast_to_prepare(tfm_context *ctx, tfm_node *node) {
  TFM_TRY(tfm_shape_check_io(ctx, node, 2, 2, 1));
  const tfm_tensor *in = tfm_input(ctx, node, 0);
  const tfm_tensor *shape = tfm_input(ctx, node, 1);
  const tfm_tensor *out = tfm_output(ctx, node, 0);
  TFM_TRY(tfm_layout_same_type(ctx, "input", in, "output", out, true));
  if (out->rank > TFM_MAX_DIMS) return tfm_fail(ctx, TFM_UNSUPPORTED, "rank %d not supported", out->rank);
  int32_t *steps;
  TFM_TRY(tfm_alloc_persistent(ctx, sizeof(int32_t) * TFM_MAX_DIMS, (void **)&steps));
  TFM_TRY(tfm_layout_bcast_steps(ctx, "input", in, out, steps));
  if (shape->data) { /* a constant shape is checked once here, others in eval */
    int32_t dims[TFM_MAX_DIMS];
    int n;
    TFM_TRY(tfm_layout_read_ints(ctx, "shape", shape, dims, TFM_MAX_DIMS, &n, 1, 1));
    TFM_TRY(tfm_layout_expect_dims(ctx, "output", out, dims, n));
  }
  node->data = steps;
  return TFM_OK;
}

tfm_status tfm_broadcast_to_eval_reference(tfm_context *ctx, tfm_node *node) {
  const tfm_tensor *in = tfm_input(ctx, node, 0);
  const tfm_tensor *shape = tfm_input(ctx, node, 1);
  tfm_tensor *out = tfm_output(ctx, node, 0);
  int32_t dims[TFM_MAX_DIMS];
  int n;
  TFM_TRY(tfm_layout_read_ints(ctx, "shape", shape, dims, TFM_MAX_DIMS, &n, 1, 1));
  TFM_TRY(tfm_layout_expect_dims(ctx, "output", out, dims, n));
  tfm_shape_view_copy(out->data, in->data, tfm_type_size((tfm_type)in->type), out->rank, out->dims,
                      (const int32_t *)node->data, 0);
  return TFM_OK;
}
