/* LOGISTIC shared pieces: prepare and the reference eval (see
 * common/logistic.h). */
#include "common/logistic.h"

#include "common/activation_common.h"
#include "internal/fixedpoint.h"

static float logistic_f(float x) {
  if (x > 16.619047164916992188f) return 1.0f;
  if (x < -9.0f) return tfm_expf(x);
  return 1.0f / (1.0f + tfm_expf(-x));
}

/* int8 tables use the plain formula (no cut-offs), like TFLite. */
static float logistic_lut_fn(float x) { return 1.0f / (1.0f + tfm_expf(-x)); }

static const tfm_sigmoid_op kLogistic = {"LOGISTIC", false, logistic_f, logistic_lut_fn};

tfm_status tfm_logistic_prepare(tfm_context *ctx, tfm_node *node) {
  return tfm_sigmoid_op_prepare(ctx, node, &kLogistic);
}

tfm_status tfm_logistic_eval_reference(tfm_context *ctx, tfm_node *node) {
  return tfm_sigmoid_op_eval(ctx, node, &kLogistic);
}
