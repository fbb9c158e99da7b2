/* DIV shared pieces: prepare and the reference eval (see
 * common/div.h). */
#include "common/div.h"

#include "common/binary_common.h"
#include "internal/quant.h"

tfm_status tfm_div_prepare(tfm_context *ctx, tfm_node *node) {
  static const int kTypes[] = {TFM_INT32, TFM_FLOAT32, -1};
  tfm_binary_data *d;
  return tfm_binary_prepare(ctx, node, "DIV", kTypes, true, &d);
}

tfm_status tfm_div_eval_reference(tfm_context *ctx, tfm_node *node) {
  const tfm_binary_data *d = (const tfm_binary_data *)node->data;
  const tfm_tensor *in1 = tfm_input(ctx, node, 0);
  const tfm_tensor *in2 = tfm_input(ctx, node, 1);
  tfm_tensor *o = tfm_output(ctx, node, 0);
  tfm_bcast_it it;
  tfm_bcast_begin(&it);
  if (o->type == TFM_FLOAT32) {
    TFM_BCAST_LOOP(float, &d->bc, it, in1, in2, o,
                   y[i] = tfm_clamp_f32(x1 / x2, d->f_act_min, d->f_act_max));
    return TFM_OK;
  }
  /* INT32_MIN / -1 overflows in C; wrap as two's complement hardware does. */
  TFM_BCAST_LOOP(int32_t, &d->bc, it, in1, in2, o,
                 if (x2 == 0) return tfm_fail(ctx, TFM_ERROR, "DIV: division by zero");
                 const int32_t q = x2 == -1 ? (int32_t)(0u - (uint32_t)x1) : x1 / x2;
                 y[i] = tfm_clamp_i32(q, d->act_min, d->act_max));
  return TFM_OK;
}
