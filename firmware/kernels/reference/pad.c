/* PAD: pads with 0 (float/int32) or the output zero point (int8/int16). */
#include "common/ops.h"
#include "common/shape_common.h"
#include "tfm/kernels.h"

static tfm_status prepare(tfm_context *ctx, tfm_node *node) {
  return tfm_shape_pad_prepare(ctx, node);
}

static tfm_status eval(tfm_context *ctx, tfm_node *node) {
  const tfm_tensor *out = tfm_output(ctx, node, 0);
  union { int8_t i8; int16_t i16; int32_t i32; int64_t i64; float f; } pad;
  pad.i64 = 0;
  if (out->type == TFM_INT8) pad.i8 = (int8_t)out->zero_point;
  if (out->type == TFM_INT16) pad.i16 = (int16_t)out->zero_point;
  return tfm_shape_pad_eval(ctx, node, &pad);
}

const tfm_kernel *tfm_register_pad(void) {
  static const tfm_kernel kernel = TFM_BUILTIN_KERNEL(PAD, prepare, eval);
  return &kernel;
}
