#include "common/layout_common.h"

#include "common/shape_common.h"

tfm_status tfm_layout_bcast_steps(tfm_context *ctx, const char *role, const tfm_tensor *in,
                                  const tfm_tensor *out, int32_t *steps) {
  if (in->rank > out->rank) {
    return tfm_fail(ctx, TFM_BAD_MODEL, "%s rank %d is above the output's %d", role, in->rank,
                    out->rank);
  }
  int32_t stride = 1;
  for (int d = out->rank - 1; d >= 0; --d) {
    const int k = d - (out->rank - in->rank); /* in's dim, < 0 when absent */
    const int32_t dim = k >= 0 ? in->dims[k] : 1;
    if (dim != out->dims[d] && dim != 1) {
      return tfm_fail(ctx, TFM_BAD_MODEL, "%s dim %d is %d, does not broadcast to %d", role, k,
                      dim, out->dims[d]);
    }
    steps[d] = dim == 1 ? 0 : stride;
    stride *= dim;
  }
  return TFM_OK;
}

tfm_status tfm_layout_read_ints(tfm_context *ctx, const char *role, const tfm_tensor *t,
                                int32_t *values, int max, int *n, int min_rank, int max_rank) {
  if (!t || !tfm_shape_is_index_type(t)) {
    return tfm_fail(ctx, TFM_UNSUPPORTED, "%s must be INT32 or INT64", role);
  }
  if (t->rank < min_rank || t->rank > max_rank) {
    return tfm_fail(ctx, TFM_BAD_MODEL, "%s has rank %d, needs %d to %d", role, t->rank, min_rank,
                    max_rank);
  }
  const int32_t count = tfm_tensor_elements(t);
  if (count > max) return tfm_fail(ctx, TFM_UNSUPPORTED, "%s has %d entries (max %d)", role, count, max);
  if (t->data == NULL && count > 0) return tfm_fail(ctx, TFM_BAD_MODEL, "%s has no data", role);
  for (int32_t i = 0; i < count; ++i) {
    const int64_t v = tfm_shape_read_index(t, i);
    if (v < INT32_MIN || v > INT32_MAX) {
      return tfm_fail(ctx, TFM_BAD_ARGUMENT, "%s[%d] out of int32 range", role, i);
    }
    values[i] = (int32_t)v;
  }
  *n = (int)count;
  return TFM_OK;
}

tfm_status tfm_layout_expect_dims(tfm_context *ctx, const char *role, const tfm_tensor *t,
                                  const int32_t *dims, int rank) {
  bool same = t->rank == rank;
  for (int d = 0; same && d < rank; ++d) same = t->dims[d] == dims[d];
  if (!same) {
    return tfm_fail(ctx, TFM_BAD_MODEL, "%s shape (rank %d) does not match the computed shape "
                    "(rank %d, first dim %d)", role, t->rank, rank, rank ? dims[0] : 0);
  }
  return TFM_OK;
}

tfm_status tfm_layout_same_type(tfm_context *ctx, const char *a_role, const tfm_tensor *a,
                                const char *b_role, const tfm_tensor *b, bool same_quant) {
  if (a->type != b->type || tfm_type_size((tfm_type)a->type) == 0) {
    return tfm_fail(ctx, TFM_UNSUPPORTED, "%s type %s with %s type %s not supported", a_role,
                    tfm_type_name((tfm_type)a->type), b_role, tfm_type_name((tfm_type)b->type));
  }
  if (same_quant && (a->scale != b->scale || a->zero_point != b->zero_point)) {
    return tfm_fail(ctx, TFM_UNSUPPORTED, "%s and %s need the same quantization", a_role, b_role);
  }
  return TFM_OK;
}
