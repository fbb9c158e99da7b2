/* REVERSE_V2: the input with the axes listed in input 1 (INT32/INT64,
 * negative counted from the end) reversed. Any element type. */
#include "common/reverse_v2.h"

#include "common/layout_common.h"
#include "common/shape_common.h"
#include "tfm/kernels.h"

tfm_status tfm_reverse_v2_prepare(tfm_context *ctx, tfm_node *node) {
  TFM_TRY(tfm_shape_check_io(ctx, node, 2, 2, 1));
  const tfm_tensor *in = tfm_input(ctx, node, 0);
  const tfm_tensor *out = tfm_output(ctx, node, 0);
  TFM_TRY(tfm_layout_same_type(ctx, "input", in, "output", out, true));
  if (in->rank > TFM_MAX_DIMS || tfm_tensor_elements(in) != tfm_tensor_elements(out) ||
      in->rank != out->rank) {
    return tfm_fail(ctx, TFM_BAD_MODEL, "output shape must be the input's (rank <= %d)", TFM_MAX_DIMS);
  }
  return TFM_OK;
}

tfm_status tfm_reverse_v2_eval_reference(tfm_context *ctx, tfm_node *node) {
  const tfm_tensor *in = tfm_input(ctx, node, 0);
  tfm_tensor *out = tfm_output(ctx, node, 0);
  int32_t axes[TFM_MAX_DIMS];
  int n;
  TFM_TRY(tfm_layout_read_ints(ctx, "axis", tfm_input(ctx, node, 1), axes, TFM_MAX_DIMS, &n, 0, 1));
  int32_t steps[TFM_MAX_DIMS];
  tfm_shape_strides(in, steps);
  bool reversed[TFM_MAX_DIMS] = {false};
  int32_t base = 0;
  for (int k = 0; k < n; ++k) {
    const int a = tfm_shape_axis(axes[k], in->rank);
    if (a < 0) return tfm_fail(ctx, TFM_BAD_ARGUMENT, "axis %d out of range for rank %d", axes[k], in->rank);
    if (reversed[a]) continue; /* an axis listed twice is reversed once */
    reversed[a] = true;
    base += (in->dims[a] - 1) * steps[a];
    steps[a] = -steps[a];
  }
  tfm_shape_view_copy(out->data, in->data, tfm_type_size((tfm_type)in->type), in->rank, in->dims,
                      steps, base);
  return TFM_OK;
}
