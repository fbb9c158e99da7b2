/* SQUARED_DIFFERENCE: float32, int32 (wrapping) with broadcasting:
 * (x1 - x2) * (x1 - x2). */
#include "common/binary_common.h"
#include "internal/quant.h"
#include "tfm/kernels.h"

static tfm_status prepare(tfm_context *ctx, tfm_node *node) {
  static const int kTypes[] = {TFM_FLOAT32, TFM_INT32, -1};
  tfm_binary_data *d;
  return tfm_binary_prepare(ctx, node, "SQUARED_DIFFERENCE", kTypes, false, &d);
}

static tfm_status eval(tfm_context *ctx, tfm_node *node) {
  const tfm_binary_data *d = (const tfm_binary_data *)node->data;
  const tfm_tensor *in1 = tfm_input(ctx, node, 0);
  const tfm_tensor *in2 = tfm_input(ctx, node, 1);
  tfm_tensor *o = tfm_output(ctx, node, 0);
  tfm_bcast_it it;
  tfm_bcast_begin(&it);
  if (o->type == TFM_FLOAT32) {
    TFM_BCAST_LOOP(float, &d->bc, it, in1, in2, o, const float t = x1 - x2; y[i] = t * t);
  } else {
    TFM_BCAST_LOOP(int32_t, &d->bc, it, in1, in2, o, const uint32_t t = (uint32_t)x1 - (uint32_t)x2;
                   y[i] = tfm_wrap_i32(t * t));
  }
  return TFM_OK;
}

const tfm_kernel *tfm_register_squared_difference(void) {
  static const tfm_kernel kernel = {"SQUARED_DIFFERENCE", 1, prepare, eval};
  return &kernel;
}
