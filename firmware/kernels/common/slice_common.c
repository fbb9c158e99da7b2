/* SLICE shared pieces: prepare and the reference eval (see
 * common/slice.h). */
#include "common/slice.h"

#include "common/shape_common.h"

tfm_status tfm_slice_prepare(tfm_context *ctx, tfm_node *node) {
  TFM_TRY(tfm_shape_check_io(ctx, node, 3, 3, 1));
  const tfm_tensor *in = tfm_input(ctx, node, 0);
  const tfm_tensor *begin = tfm_input(ctx, node, 1);
  const tfm_tensor *size = tfm_input(ctx, node, 2);
  const tfm_tensor *out = tfm_output(ctx, node, 0);
  if (tfm_type_size((tfm_type)in->type) == 0 || in->type != out->type) {
    return tfm_fail(ctx, TFM_UNSUPPORTED, "input type %s / output type %s not supported",
                    tfm_type_name((tfm_type)in->type), tfm_type_name((tfm_type)out->type));
  }
  if (!tfm_shape_is_index_type(begin) || !tfm_shape_is_index_type(size)) {
    return tfm_fail(ctx, TFM_UNSUPPORTED, "begin/size must be INT32 or INT64");
  }
  if (in->rank > TFM_MAX_DIMS || out->rank != in->rank ||
      tfm_tensor_elements(begin) != in->rank || tfm_tensor_elements(size) != in->rank) {
    return tfm_fail(ctx, TFM_BAD_MODEL, "begin/size/output must match input rank %d",
                    (int)in->rank);
  }
  return TFM_OK;
}

tfm_status tfm_slice_eval_reference(tfm_context *ctx, tfm_node *node) {
  const tfm_tensor *in = tfm_input(ctx, node, 0);
  const tfm_tensor *begin = tfm_input(ctx, node, 1);
  const tfm_tensor *size = tfm_input(ctx, node, 2);
  tfm_tensor *out = tfm_output(ctx, node, 0);
  int32_t strides[TFM_MAX_DIMS];
  tfm_shape_strides(in, strides);
  int32_t base = 0;
  for (int d = 0; d < in->rank; ++d) {
    const int64_t b = tfm_shape_read_index(begin, d);
    int64_t s = tfm_shape_read_index(size, d);
    const bool b_ok = b >= 0 && b <= in->dims[d]; /* checked first: no overflow below */
    if (b_ok && s == -1) s = in->dims[d] - b;
    if (!b_ok || s < 0 || s > in->dims[d] - b || s != out->dims[d]) {
      return tfm_fail(ctx, TFM_BAD_ARGUMENT, "begin %ld size %ld invalid for dim %d of size %ld",
                      (long)b, (long)s, d, (long)in->dims[d]);
    }
    base += (int32_t)b * strides[d];
  }
  tfm_shape_view_copy(out->data, in->data, tfm_type_size((tfm_type)in->type), in->rank,
                      out->dims, strides, base);
  return TFM_OK;
}
