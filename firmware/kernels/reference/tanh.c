/* TANH: float32, int8 (256-entry table built in prepare from the float
 * function, as TFLite's LUTPopulate), int16 (see common/activation_common). */
#include "common/activation_common.h"
#include "common/ops.h"
#include "internal/fixedpoint.h"
#include "tfm/kernels.h"

static const tfm_sigmoid_op kTanh = {"TANH", true, tfm_tanhf, tfm_tanhf};

static tfm_status prepare(tfm_context *ctx, tfm_node *node) {
  return tfm_sigmoid_op_prepare(ctx, node, &kTanh);
}

static tfm_status eval(tfm_context *ctx, tfm_node *node) {
  return tfm_sigmoid_op_eval(ctx, node, &kTanh);
}

const tfm_kernel *tfm_register_tanh(void) {
  static const tfm_kernel kernel = TFM_BUILTIN_KERNEL(TANH, prepare, eval);
  return &kernel;
}
