/* PADV2: pads with the value of the constant_values tensor (input 2),
 * or as PAD when it is absent. */
#include "common/ops.h"
#include "common/shape_common.h"
#include "tfm/kernels.h"

static tfm_status prepare(tfm_context *ctx, tfm_node *node) {
  return tfm_shape_pad_prepare(ctx, node);
}

static tfm_status eval(tfm_context *ctx, tfm_node *node) {
  const tfm_tensor *out = tfm_output(ctx, node, 0);
  const tfm_tensor *value = node->num_inputs > 2 ? tfm_input(ctx, node, 2) : NULL;
  union { int8_t i8; int16_t i16; int32_t i32; int64_t i64; float f; } pad;
  pad.i64 = 0;
  if (value != NULL) {
    tfm_shape_copy(&pad, value->data, tfm_type_size((tfm_type)value->type));
  } else if (out->type == TFM_INT8) {
    pad.i8 = (int8_t)out->zero_point;
  } else if (out->type == TFM_INT16) {
    pad.i16 = (int16_t)out->zero_point;
  }
  return tfm_shape_pad_eval(ctx, node, &pad);
}

const tfm_kernel *tfm_register_padv2(void) {
  static const tfm_kernel kernel = TFM_BUILTIN_KERNEL(PADV2, prepare, eval);
  return &kernel;
}
