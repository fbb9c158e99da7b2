/* DYNAMIC_UPDATE_SLICE: the operand with `update` written at start_indices
 * (input 2, INT32/INT64 [rank]); each start is clamped to [0, dim - update
 * dim] as in TFLite (and XLA). Operand, update and output share one type. */
#include "common/dynamic_update_slice.h"

#include "common/layout_common.h"
#include "common/shape_common.h"
#include "tfm/kernels.h"

tfm_status tfm_dynamic_update_slice_prepare(tfm_context *ctx, tfm_node *node) {
  TFM_TRY(tfm_shape_check_io(ctx, node, 3, 3, 1));
  const tfm_tensor *operand = tfm_input(ctx, node, 0);
  const tfm_tensor *update = tfm_input(ctx, node, 1);
  const tfm_tensor *out = tfm_output(ctx, node, 0);
  TFM_TRY(tfm_layout_same_type(ctx, "operand", operand, "output", out, true));
  TFM_TRY(tfm_layout_same_type(ctx, "update", update, "output", out, true));
  if (update->rank != operand->rank || out->rank != operand->rank || operand->rank > TFM_MAX_DIMS) {
    return tfm_fail(ctx, TFM_BAD_MODEL, "operand, update and output need one rank (<= %d)",
                    TFM_MAX_DIMS);
  }
  for (int d = 0; d < operand->rank; ++d) {
    if (update->dims[d] > operand->dims[d] || out->dims[d] != operand->dims[d]) {
      return tfm_fail(ctx, TFM_BAD_MODEL, "dim %d: update %d, operand %d, output %d", d,
                      update->dims[d], operand->dims[d], out->dims[d]);
    }
  }
  return TFM_OK;
}

tfm_status tfm_dynamic_update_slice_eval_reference(tfm_context *ctx, tfm_node *node) {
  const tfm_tensor *operand = tfm_input(ctx, node, 0);
  const tfm_tensor *update = tfm_input(ctx, node, 1);
  tfm_tensor *out = tfm_output(ctx, node, 0);
  const int rank = operand->rank;
  const tfm_tensor *starts = tfm_input(ctx, node, 2);
  if (!tfm_shape_is_index_type(starts) || tfm_tensor_elements(starts) != rank || !starts->data) {
    return tfm_fail(ctx, TFM_BAD_MODEL, "start_indices must be INT32/INT64 [%d]", rank);
  }
  const size_t es = tfm_type_size((tfm_type)out->type);
  if (out->data != operand->data) {
    tfm_shape_copy(out->data, operand->data, (size_t)tfm_tensor_bytes(operand));
  }
  int32_t strides[TFM_MAX_DIMS];
  tfm_shape_strides(operand, strides);
  int32_t base = 0;
  for (int d = 0; d < rank; ++d) {
    int64_t s = tfm_shape_read_index(starts, d);
    const int64_t hi = operand->dims[d] - update->dims[d];
    s = s < 0 ? 0 : (s > hi ? hi : s);
    base += (int32_t)s * strides[d];
  }
  /* Scatter the update: the inverse of a strided view copy. */
  const int32_t n = tfm_tensor_elements(update);
  int32_t idx[TFM_MAX_DIMS] = {0}, off = base;
  for (int32_t i = 0; i < n; ++i) {
    tfm_shape_copy((uint8_t *)out->data + (size_t)off * es, (const uint8_t *)update->data + (size_t)i * es, es);
    for (int d = rank - 1; d >= 0; --d) {
      off += strides[d];
      if (++idx[d] < update->dims[d]) break;
      off -= strides[d] * update->dims[d];
      idx[d] = 0;
    }
  }
  return TFM_OK;
}
