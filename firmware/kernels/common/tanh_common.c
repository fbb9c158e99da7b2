/* TANH shared pieces: prepare and the reference eval (see
 * common/tanh.h). */
#include "common/tanh.h"

#include "common/activation_common.h"
#include "internal/fixedpoint.h"

static const tfm_sigmoid_op kTanh = {"TANH", true, tfm_tanhf, tfm_tanhf};

tfm_status tfm_tanh_prepare(tfm_context *ctx, tfm_node *node) {
  return tfm_sigmoid_op_prepare(ctx, node, &kTanh);
}

tfm_status tfm_tanh_eval_reference(tfm_context *ctx, tfm_node *node) {
  return tfm_sigmoid_op_eval(ctx, node, &kTanh);
}
