/* GATHER_ND: params [d0..dP), indices [..., K] (INT16/INT32/INT64, K <= P)
 * -> output indices.shape[:-1] + params.shape[K:], each index tuple picking
 * one slice of params. An index outside its dim fails the op, as TFLite's
 * reference kernel. Any element type. */
#include "common/gather_nd.h"

#include "common/layout_common.h"
#include "common/shape_common.h"
#include "tfm/kernels.h"

tfm_status tfm_gather_nd_prepare(tfm_context *ctx, tfm_node *node) {
  TFM_TRY(tfm_shape_check_io(ctx, node, 2, 2, 1));
  const tfm_tensor *params = tfm_input(ctx, node, 0);
  const tfm_tensor *indices = tfm_input(ctx, node, 1);
  const tfm_tensor *out = tfm_output(ctx, node, 0);
  TFM_TRY(tfm_layout_same_type(ctx, "params", params, "output", out, true));
  if (indices->type != TFM_INT16 && !tfm_shape_is_index_type(indices)) {
    return tfm_fail(ctx, TFM_UNSUPPORTED, "indices type %s not supported",
                    tfm_type_name((tfm_type)indices->type));
  }
  if (indices->rank < 1 || params->rank < 1) {
    return tfm_fail(ctx, TFM_BAD_MODEL, "params and indices need rank >= 1");
  }
  const int32_t k = indices->dims[indices->rank - 1];
  if (k > params->rank || k > TFM_MAX_DIMS) {
    return tfm_fail(ctx, TFM_BAD_MODEL, "index depth %d above params rank %d", k, params->rank);
  }
  /* output = indices.shape[:-1] + params.shape[k:] */
  bool ok = out->rank == indices->rank - 1 + params->rank - k;
  for (int d = 0; ok && d < indices->rank - 1; ++d) ok = out->dims[d] == indices->dims[d];
  for (int d = k; ok && d < params->rank; ++d) ok = out->dims[indices->rank - 1 + d - k] == params->dims[d];
  if (!ok) return tfm_fail(ctx, TFM_BAD_MODEL, "output shape does not match params and indices");
  return TFM_OK;
}

static int64_t index_at(const tfm_tensor *t, int32_t i) {
  if (t->type == TFM_INT16) {
    const uint8_t *p = (const uint8_t *)t->data + 2 * (size_t)i;
    return (int16_t)(uint16_t)(p[0] | (p[1] << 8));
  }
  return tfm_shape_read_index(t, i);
}

tfm_status tfm_gather_nd_eval_reference(tfm_context *ctx, tfm_node *node) {
  const tfm_tensor *params = tfm_input(ctx, node, 0);
  const tfm_tensor *indices = tfm_input(ctx, node, 1);
  tfm_tensor *out = tfm_output(ctx, node, 0);
  const int32_t k = indices->dims[indices->rank - 1];
  const int32_t tuples = k ? tfm_tensor_elements(indices) / k : tfm_shape_product(indices, 0, indices->rank - 1);
  const size_t es = tfm_type_size((tfm_type)params->type);
  const size_t slice = es * (size_t)tfm_shape_product(params, k, params->rank);
  int32_t strides[TFM_MAX_DIMS];
  tfm_shape_strides(params, strides);
  for (int32_t t = 0; t < tuples; ++t) {
    int64_t off = 0;
    for (int32_t j = 0; j < k; ++j) {
      const int64_t v = index_at(indices, t * k + j);
      if (v < 0 || v >= params->dims[j]) {
        return tfm_fail(ctx, TFM_BAD_ARGUMENT, "index %ld out of bounds for dim %d of size %d",
                        (long)v, j, params->dims[j]);
      }
      off += v * strides[j];
    }
    tfm_shape_copy((uint8_t *)out->data + (size_t)t * slice,
                   (const uint8_t *)params->data + (size_t)off * es, slice);
  }
  return TFM_OK;
}
