/* TRANSPOSE shared pieces: prepare and the reference eval (see
 * common/transpose.h). */
#include "common/transpose.h"

#include "common/shape_common.h"

tfm_status tfm_transpose_prepare(tfm_context *ctx, tfm_node *node) {
  TFM_TRY(tfm_shape_check_io(ctx, node, 2, 2, 1));
  const tfm_tensor *in = tfm_input(ctx, node, 0);
  const tfm_tensor *perm = tfm_input(ctx, node, 1);
  const tfm_tensor *out = tfm_output(ctx, node, 0);
  TFM_TRY(tfm_shape_check_data_and_index(ctx, "input", in, "perm", perm, out));
  if (in->rank > TFM_MAX_DIMS || out->rank != in->rank || tfm_tensor_elements(perm) != in->rank) {
    return tfm_fail(ctx, TFM_BAD_MODEL, "perm/output must match input rank %d (max %d)",
                    (int)in->rank, TFM_MAX_DIMS);
  }
  return TFM_OK;
}

tfm_status tfm_transpose_eval_reference(tfm_context *ctx, tfm_node *node) {
  const tfm_tensor *in = tfm_input(ctx, node, 0);
  const tfm_tensor *perm = tfm_input(ctx, node, 1);
  tfm_tensor *out = tfm_output(ctx, node, 0);
  int32_t strides[TFM_MAX_DIMS], steps[TFM_MAX_DIMS];
  tfm_shape_strides(in, strides);
  for (int i = 0; i < in->rank; ++i) {
    const int p = tfm_shape_axis((int32_t)tfm_shape_read_index(perm, i), in->rank);
    if (p < 0 || in->dims[p] != out->dims[i]) {
      return tfm_fail(ctx, TFM_BAD_ARGUMENT, "perm[%d] invalid for the output shape", i);
    }
    steps[i] = strides[p];
  }
  tfm_shape_view_copy(out->data, in->data, tfm_type_size((tfm_type)in->type), in->rank,
                      out->dims, steps, 0);
  return TFM_OK;
}
