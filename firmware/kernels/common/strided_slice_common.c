/* STRIDED_SLICE shared pieces: prepare and the reference eval (see
 * common/strided_slice.h). */
#include "common/strided_slice.h"

#include "common/shape_common.h"

enum { OPT_BEGIN = 4, OPT_END = 6, OPT_ELLIPSIS = 8, OPT_NEW_AXIS = 10, OPT_SHRINK = 12,
       OPT_OFFSET = 14 };

tfm_status tfm_strided_slice_prepare(tfm_context *ctx, tfm_node *node) {
  TFM_TRY(tfm_shape_check_io(ctx, node, 4, 4, 1));
  const tfm_tensor *in = tfm_input(ctx, node, 0);
  const tfm_tensor *out = tfm_output(ctx, node, 0);
  if (tfm_type_size((tfm_type)in->type) == 0 || in->type != out->type) {
    return tfm_fail(ctx, TFM_UNSUPPORTED, "input type %s / output type %s not supported",
                    tfm_type_name((tfm_type)in->type), tfm_type_name((tfm_type)out->type));
  }
  const int32_t n = tfm_tensor_elements(tfm_input(ctx, node, 1));
  for (int i = 1; i < 4; ++i) {
    const tfm_tensor *t = tfm_input(ctx, node, i);
    if (!tfm_shape_is_index_type(t) || tfm_tensor_elements(t) != n) {
      return tfm_fail(ctx, TFM_UNSUPPORTED, "begin/end/strides must be INT32/INT64 of one length");
    }
  }
  if (in->rank > TFM_MAX_DIMS || n > 16) {
    return tfm_fail(ctx, TFM_UNSUPPORTED, "rank %d / spec length %ld too large", (int)in->rank,
                    (long)n);
  }
  return TFM_OK;
}

static int32_t clamp(int64_t v, int32_t lo, int32_t hi) {
  return v < lo ? lo : (v > hi ? hi : (int32_t)v);
}

tfm_status tfm_strided_slice_eval_reference(tfm_context *ctx, tfm_node *node) {
  const tfm_tensor *in = tfm_input(ctx, node, 0);
  const tfm_tensor *tb = tfm_input(ctx, node, 1);
  const tfm_tensor *te = tfm_input(ctx, node, 2);
  const tfm_tensor *ts = tfm_input(ctx, node, 3);
  tfm_tensor *out = tfm_output(ctx, node, 0);
  const uint32_t begin_mask = (uint32_t)tfm_opt_i32(node, OPT_BEGIN, 0);
  const uint32_t end_mask = (uint32_t)tfm_opt_i32(node, OPT_END, 0);
  uint32_t ellipsis = (uint32_t)tfm_opt_i32(node, OPT_ELLIPSIS, 0);
  const uint32_t new_axis = (uint32_t)tfm_opt_i32(node, OPT_NEW_AXIS, 0);
  const uint32_t shrink = (uint32_t)tfm_opt_i32(node, OPT_SHRINK, 0);
  const bool offset = tfm_opt_bool(node, OPT_OFFSET, false);
  const int32_t n = tfm_tensor_elements(tb);
  const int rank = in->rank;

  /* Only the first ellipsis counts. */
  ellipsis &= ~(ellipsis - 1u);
  int named = 0;
  for (int32_t i = 0; i < n; ++i) {
    if (!((ellipsis | new_axis) & (1u << i))) ++named;
  }
  int32_t strides[TFM_MAX_DIMS], counts[TFM_MAX_DIMS], steps[TFM_MAX_DIMS];
  tfm_shape_strides(in, strides);
  int32_t base = 0, total = 1;
  int d = 0, kept = 0;
  for (int32_t i = 0; i <= n && d < rank; ++i) {
    /* Entries past the spec (or inside the ellipsis) take a whole dim. */
    int whole = 0;
    if (i == n) {
      whole = rank - d;
    } else if (ellipsis & (1u << i)) {
      whole = rank - named - d;
      if (whole < 0) whole = 0;
    } else if (new_axis & (1u << i)) {
      continue;
    }
    if (i == n || (ellipsis & (1u << i))) {
      for (int k = 0; k < whole && d < rank; ++k, ++d) {
        counts[kept] = in->dims[d];
        steps[kept++] = strides[d];
        total *= in->dims[d];
      }
      continue;
    }
    if (d >= rank) break;
    const int32_t dim = in->dims[d];
    int64_t stride = tfm_shape_read_index(ts, i);
    if (stride == 0) return tfm_fail(ctx, TFM_BAD_ARGUMENT, "stride %ld is zero", (long)i);
    /* A stride beyond the dim takes at most one element: clamping it keeps the
     * arithmetic below in range without changing the slice. */
    if (stride > INT32_MAX) stride = INT32_MAX;
    if (stride < -INT32_MAX) stride = -INT32_MAX;
    const int64_t b = tfm_shape_read_index(tb, i);
    int64_t start = b, stop = tfm_shape_read_index(te, i);
    if (offset) stop += b;
    if (begin_mask & (1u << i)) start = stride > 0 ? INT32_MIN : INT32_MAX;
    if (start < 0) start += dim;
    start = stride > 0 ? clamp(start, 0, dim) : clamp(start, -1, dim - 1);
    if (shrink & (1u << i)) {
      if (start < 0 || start >= dim) {
        return tfm_fail(ctx, TFM_BAD_ARGUMENT, "shrink index %ld out of range for dim %d",
                        (long)b, d);
      }
      base += (int32_t)start * strides[d];
      ++d;
      continue;
    }
    if (end_mask & (1u << i)) stop = stride > 0 ? INT32_MAX : INT32_MIN;
    if (stop < 0) stop += dim;
    stop = stride > 0 ? clamp(stop, 0, dim) : clamp(stop, -1, dim - 1);
    int64_t count = stride > 0 ? (stop - start + stride - 1) / stride
                               : (start - stop + (-stride) - 1) / (-stride);
    if (count < 0) count = 0;
    base += (count > 0 ? (int32_t)start : 0) * strides[d];
    counts[kept] = (int32_t)count;
    steps[kept++] = count > 1 ? (int32_t)(stride * strides[d]) : 0; /* |stride| < dim */
    total *= (int32_t)count;
    ++d;
  }
  if (total != tfm_tensor_elements(out)) {
    return tfm_fail(ctx, TFM_BAD_ARGUMENT, "slice has %ld elements, output %ld", (long)total,
                    (long)tfm_tensor_elements(out));
  }
  if (total > 0) {
    tfm_shape_view_copy(out->data, in->data, tfm_type_size((tfm_type)in->type), kept, counts,
                        steps, base);
  }
  return TFM_OK;
}
