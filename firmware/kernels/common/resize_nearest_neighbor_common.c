/* RESIZE_NEAREST_NEIGHBOR shared pieces: prepare and the reference eval (see
 * common/resize_nearest_neighbor.h). */
#include "common/resize_nearest_neighbor.h"

#include "common/shape_common.h"
#include "internal/quant.h"

tfm_status tfm_resize_nearest_neighbor_prepare(tfm_context *ctx, tfm_node *node) {
  return tfm_shape_resize_prepare(ctx, node, false);
}

static int32_t nearest(int32_t x, int32_t in_size, int32_t out_size, bool align, bool half) {
  const float scale = (align && out_size > 1) ? (float)(in_size - 1) / (float)(out_size - 1)
                                              : (float)in_size / (float)out_size;
  const float v = ((float)x + (half ? 0.5f : 0.0f)) * scale;
  int32_t r = (int32_t)(align ? tfm_roundf(v) : tfm_shape_floorf(v));
  if (r > in_size - 1) r = in_size - 1;
  if (half && r < 0) r = 0;
  return r;
}

tfm_status tfm_resize_nearest_neighbor_eval_reference(tfm_context *ctx, tfm_node *node) {
  TFM_TRY(tfm_shape_resize_check_size(ctx, node));
  const tfm_tensor *in = tfm_input(ctx, node, 0);
  tfm_tensor *out = tfm_output(ctx, node, 0);
  const bool align = tfm_opt_bool(node, 4, false);
  const bool half = tfm_opt_bool(node, 6, false);
  const int32_t ih = in->dims[1], iw = in->dims[2], oh = out->dims[1], ow = out->dims[2];
  const size_t px = (size_t)in->dims[3] * tfm_type_size((tfm_type)in->type);
  const uint8_t *src = (const uint8_t *)in->data;
  uint8_t *dst = (uint8_t *)out->data;
  for (int32_t b = 0; b < in->dims[0]; ++b) {
    for (int32_t y = 0; y < oh; ++y) {
      const int32_t sy = nearest(y, ih, oh, align, half);
      for (int32_t x = 0; x < ow; ++x) {
        const int32_t sx = nearest(x, iw, ow, align, half);
        tfm_shape_copy(dst, src + ((size_t)(b * ih + sy) * (size_t)iw + (size_t)sx) * px, px);
        dst += px;
      }
    }
  }
  return TFM_OK;
}
