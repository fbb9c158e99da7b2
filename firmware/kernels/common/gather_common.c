/* GATHER shared pieces: prepare and the reference eval (see
 * common/gather.h). */
#include "common/gather.h"

#include "common/shape_common.h"

tfm_status tfm_gather_prepare(tfm_context *ctx, tfm_node *node) {
  TFM_TRY(tfm_shape_check_io(ctx, node, 2, 2, 1));
  const tfm_tensor *params = tfm_input(ctx, node, 0);
  const tfm_tensor *indices = tfm_input(ctx, node, 1);
  const tfm_tensor *out = tfm_output(ctx, node, 0);
  TFM_TRY(tfm_shape_check_data_and_index(ctx, "params", params, "indices", indices, out));
  const int axis = tfm_shape_axis(tfm_opt_i32(node, 4, 0), params->rank);
  int32_t batch_dims = tfm_opt_i32(node, 6, 0);
  if (batch_dims < 0) batch_dims += indices->rank;
  if (axis < 0 || batch_dims < 0 || batch_dims > axis || batch_dims > indices->rank) {
    return tfm_fail(ctx, TFM_BAD_MODEL, "axis/batch_dims invalid for params rank %d",
                    (int)params->rank);
  }
  for (int d = 0; d < batch_dims; ++d) {
    if (params->dims[d] != indices->dims[d]) {
      return tfm_fail(ctx, TFM_BAD_MODEL, "batch dim %d of params and indices differ", d);
    }
  }
  TfmGatherData *data;
  TFM_TRY(tfm_alloc_persistent(ctx, sizeof(*data), (void **)&data));
  data->batch = tfm_shape_product(params, 0, batch_dims);
  data->outer = tfm_shape_product(params, batch_dims, axis);
  data->inner = tfm_shape_product(params, axis + 1, params->rank);
  data->axis_size = params->dims[axis];
  data->coords = tfm_shape_product(indices, batch_dims, indices->rank);
  if ((int64_t)data->batch * data->outer * data->coords * data->inner !=
      tfm_tensor_elements(out)) {
    return tfm_fail(ctx, TFM_BAD_MODEL, "output has %ld elements, expected %ld",
                    (long)tfm_tensor_elements(out),
                    (long)data->batch * data->outer * data->coords * data->inner);
  }
  node->data = data;
  return TFM_OK;
}

tfm_status tfm_gather_eval_reference(tfm_context *ctx, tfm_node *node) {
  const TfmGatherData *g = (const TfmGatherData *)node->data;
  const tfm_tensor *params = tfm_input(ctx, node, 0);
  const tfm_tensor *indices = tfm_input(ctx, node, 1);
  tfm_tensor *out = tfm_output(ctx, node, 0);
  const size_t row = (size_t)g->inner * tfm_type_size((tfm_type)params->type);
  const uint8_t *src = (const uint8_t *)params->data;
  uint8_t *dst = (uint8_t *)out->data;
  for (int32_t b = 0; b < g->batch; ++b) {
    for (int32_t o = 0; o < g->outer; ++o) {
      for (int32_t c = 0; c < g->coords; ++c) {
        const int64_t idx = tfm_shape_read_index(indices, b * g->coords + c);
        if (idx < 0 || idx >= g->axis_size) {
          return tfm_fail(ctx, TFM_BAD_ARGUMENT, "index %ld out of range [0, %ld)", (long)idx,
                          (long)g->axis_size);
        }
        const size_t at = ((size_t)(b * g->outer + o) * (size_t)g->axis_size + (size_t)idx) * row;
        tfm_shape_copy(dst, src + at, row);
        dst += row;
      }
    }
  }
  return TFM_OK;
}
