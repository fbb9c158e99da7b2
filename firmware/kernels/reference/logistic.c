/* LOGISTIC: float32, int8 (256-entry table built in prepare from the float
 * function, as TFLite's LUTPopulate), int16 (see common/activation_common). */
#include "common/activation_common.h"
#include "common/ops.h"
#include "internal/fixedpoint.h"
#include "tfm/kernels.h"

static float logistic_f(float x) {
  if (x > 16.619047164916992188f) return 1.0f;
  if (x < -9.0f) return tfm_expf(x);
  return 1.0f / (1.0f + tfm_expf(-x));
}

/* int8 tables use the plain formula (no cut-offs), like TFLite. */
static float logistic_lut_fn(float x) { return 1.0f / (1.0f + tfm_expf(-x)); }

static const tfm_sigmoid_op kLogistic = {"LOGISTIC", false, logistic_f, logistic_lut_fn};

static tfm_status prepare(tfm_context *ctx, tfm_node *node) {
  return tfm_sigmoid_op_prepare(ctx, node, &kLogistic);
}

static tfm_status eval(tfm_context *ctx, tfm_node *node) {
  return tfm_sigmoid_op_eval(ctx, node, &kLogistic);
}

const tfm_kernel *tfm_register_logistic(void) {
  static const tfm_kernel kernel = TFM_BUILTIN_KERNEL(LOGISTIC, prepare, eval);
  return &kernel;
}
