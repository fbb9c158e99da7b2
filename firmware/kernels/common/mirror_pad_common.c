/* MIRROR_PAD: pads each dim by paddings[d] = (before, after) (input 1, an
 * INT32/INT64 [rank, 2] tensor) with the input mirrored: REFLECT (option
 * mode 0) leaves out the edge, SYMMETRIC (1) repeats it. Paddings may be at
 * most dim - 1 (REFLECT) or dim (SYMMETRIC). Any element type. */
#include "common/mirror_pad.h"

#include "common/layout_common.h"
#include "common/shape_common.h"
#include "tfm/kernels.h"

tfm_status tfm_mirror_pad_prepare(tfm_context *ctx, tfm_node *node) {
  TFM_TRY(tfm_shape_check_io(ctx, node, 2, 2, 1));
  const tfm_tensor *in = tfm_input(ctx, node, 0);
  const tfm_tensor *out = tfm_output(ctx, node, 0);
  TFM_TRY(tfm_layout_same_type(ctx, "input", in, "output", out, true));
  if (in->rank != out->rank || in->rank > TFM_MAX_DIMS) {
    return tfm_fail(ctx, TFM_BAD_MODEL, "input rank %d, output rank %d", in->rank, out->rank);
  }
  const int32_t mode = tfm_opt_i8(node, 4, 0);
  if (mode != 0 && mode != 1) return tfm_fail(ctx, TFM_BAD_MODEL, "mode %d not supported", mode);
  return TFM_OK;
}

tfm_status tfm_mirror_pad_eval_reference(tfm_context *ctx, tfm_node *node) {
  const tfm_tensor *in = tfm_input(ctx, node, 0);
  const tfm_tensor *pads = tfm_input(ctx, node, 1);
  tfm_tensor *out = tfm_output(ctx, node, 0);
  const int rank = in->rank;
  const bool symmetric = tfm_opt_i8(node, 4, 0) == 1;
  if (!tfm_shape_is_index_type(pads) || tfm_tensor_elements(pads) != 2 * rank || !pads->data) {
    return tfm_fail(ctx, TFM_BAD_MODEL, "paddings must be INT32/INT64 [%d, 2]", rank);
  }
  int32_t before[TFM_MAX_DIMS], strides[TFM_MAX_DIMS];
  for (int d = 0; d < rank; ++d) {
    const int64_t lo = tfm_shape_read_index(pads, 2 * d), hi = tfm_shape_read_index(pads, 2 * d + 1);
    const int64_t limit = in->dims[d] - (symmetric ? 0 : 1);
    if (lo < 0 || hi < 0 || lo > limit || hi > limit || in->dims[d] + lo + hi != out->dims[d]) {
      return tfm_fail(ctx, TFM_BAD_ARGUMENT, "paddings of dim %d (%ld, %ld) do not fit size %d", d,
                      (long)lo, (long)hi, in->dims[d]);
    }
    before[d] = (int32_t)lo;
  }
  tfm_shape_strides(in, strides);
  const size_t es = tfm_type_size((tfm_type)in->type);
  const int32_t n = tfm_tensor_elements(out);
  int32_t idx[TFM_MAX_DIMS] = {0};
  uint8_t *o = (uint8_t *)out->data;
  for (int32_t i = 0; i < n; ++i) {
    int32_t off = 0;
    for (int d = 0; d < rank; ++d) {
      int32_t j = idx[d] - before[d];
      const int32_t dim = in->dims[d];
      if (j < 0) j = symmetric ? -j - 1 : -j;
      else if (j >= dim) j = symmetric ? 2 * dim - 1 - j : 2 * dim - 2 - j;
      off += j * strides[d];
    }
    tfm_shape_copy(o + (size_t)i * es, (const uint8_t *)in->data + (size_t)off * es, es);
    for (int d = rank - 1; d >= 0; --d) {
      if (++idx[d] < out->dims[d]) break;
      idx[d] = 0;
    }
  }
  return TFM_OK;
}
