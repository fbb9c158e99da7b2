#include "common/space_depth.h"

#include "common/layout_common.h"
#include "common/shape_common.h"

tfm_status tfm_space_depth_prepare(tfm_context *ctx, tfm_node *node, bool to_space) {
  TFM_TRY(tfm_shape_check_io(ctx, node, 1, 1, 1));
  const tfm_tensor *in = tfm_input(ctx, node, 0);
  const tfm_tensor *out = tfm_output(ctx, node, 0);
  TFM_TRY(tfm_layout_same_type(ctx, "input", in, "output", out, true));
  const int32_t b = tfm_opt_i32(node, 4, 0);
  if (b < 1 || b > 4096) return tfm_fail(ctx, TFM_BAD_MODEL, "block_size %d not supported", b);
  if (in->rank != 4 || out->rank != 4) {
    return tfm_fail(ctx, TFM_BAD_MODEL, "needs 4-D NHWC input and output");
  }
  /* The space side is (H*b, W*b, C), the depth side (H, W, C*b*b). */
  const tfm_tensor *space = to_space ? out : in, *depth = to_space ? in : out;
  if (space->dims[0] != depth->dims[0] || space->dims[1] != depth->dims[1] * b ||
      space->dims[2] != depth->dims[2] * b || depth->dims[3] != space->dims[3] * b * b) {
    return tfm_fail(ctx, TFM_BAD_MODEL, "shapes do not match block_size %d", b);
  }
  return TFM_OK;
}

tfm_status tfm_space_depth_eval(tfm_context *ctx, tfm_node *node, bool to_space) {
  const tfm_tensor *in = tfm_input(ctx, node, 0);
  tfm_tensor *out = tfm_output(ctx, node, 0);
  const int32_t b = tfm_opt_i32(node, 4, 0);
  const tfm_tensor *space = to_space ? out : in;
  const int32_t n = space->dims[0], sh = space->dims[1], sw = space->dims[2], c = space->dims[3];
  const size_t run = tfm_type_size((tfm_type)in->type) * (size_t)c; /* one pixel's channels */
  uint8_t *dst = (uint8_t *)out->data;
  const uint8_t *src = (const uint8_t *)in->data;
  /* Walk the space side; the depth side pixel (h/b, w/b) holds chunk (h%b)*b + w%b. */
  for (int32_t i = 0; i < n; ++i) {
    for (int32_t h = 0; h < sh; ++h) {
      for (int32_t w = 0; w < sw; ++w) {
        const size_t s_off = (((size_t)i * sh + h) * sw + w) * run;
        const size_t d_pixel = ((size_t)i * (sh / b) + h / b) * (sw / b) + w / b;
        const size_t d_off = (d_pixel * (size_t)b * b + (size_t)((h % b) * b + w % b)) * run;
        if (to_space) tfm_shape_copy(dst + s_off, src + d_off, run);
        else tfm_shape_copy(dst + d_off, src + s_off, run);
      }
    }
  }
  return TFM_OK;
}
