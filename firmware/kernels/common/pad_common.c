/* PAD shared pieces: prepare and the reference eval (see
 * common/pad.h). */
#include "common/pad.h"

#include "common/shape_common.h"

tfm_status tfm_pad_prepare(tfm_context *ctx, tfm_node *node) {
  return tfm_shape_pad_prepare(ctx, node);
}

tfm_status tfm_pad_eval_reference(tfm_context *ctx, tfm_node *node) {
  const tfm_tensor *out = tfm_output(ctx, node, 0);
  union { int8_t i8; int16_t i16; int32_t i32; int64_t i64; float f; } pad;
  pad.i64 = 0;
  if (out->type == TFM_INT8) pad.i8 = (int8_t)out->zero_point;
  if (out->type == TFM_INT16) pad.i16 = (int16_t)out->zero_point;
  return tfm_shape_pad_eval(ctx, node, &pad);
}
