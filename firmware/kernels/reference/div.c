/* DIV: float32 and int32 (truncating) with broadcasting and fused activation. */
#include "common/binary_common.h"
#include "internal/quant.h"
#include "tfm/kernels.h"

static tfm_status prepare(tfm_context *ctx, tfm_node *node) {
  static const int kTypes[] = {TFM_INT32, TFM_FLOAT32, -1};
  tfm_binary_data *d;
  return tfm_binary_prepare(ctx, node, "DIV", kTypes, true, &d);
}

static tfm_status eval(tfm_context *ctx, tfm_node *node) {
  const tfm_binary_data *d = (const tfm_binary_data *)node->data;
  const tfm_tensor *in1 = tfm_input(ctx, node, 0);
  const tfm_tensor *in2 = tfm_input(ctx, node, 1);
  tfm_tensor *o = tfm_output(ctx, node, 0);
  const int32_t n = d->bc.count;
  tfm_bcast_it it;
  tfm_bcast_begin(&it);
  if (o->type == TFM_FLOAT32) {
    const float *a = (const float *)in1->data, *b = (const float *)in2->data;
    float *y = (float *)o->data;
    for (int32_t i = 0; i < n; ++i, tfm_bcast_next(&d->bc, &it)) {
      y[i] = tfm_clamp_f32(a[it.off1] / b[it.off2], d->f_act_min, d->f_act_max);
    }
    return TFM_OK;
  }
  const int32_t *a = (const int32_t *)in1->data, *b = (const int32_t *)in2->data;
  int32_t *y = (int32_t *)o->data;
  for (int32_t i = 0; i < n; ++i, tfm_bcast_next(&d->bc, &it)) {
    const int32_t den = b[it.off2], num = a[it.off1];
    if (den == 0) return tfm_fail(ctx, TFM_ERROR, "DIV: division by zero");
    /* INT32_MIN / -1 overflows in C; wrap as two's complement hardware does. */
    const int32_t q = (den == -1) ? (int32_t)(0u - (uint32_t)num) : num / den;
    y[i] = tfm_clamp_i32(q, d->act_min, d->act_max);
  }
  return TFM_OK;
}

const tfm_kernel *tfm_register_div(void) {
  static const tfm_kernel kernel = {"DIV", 2, prepare, eval};
  return &kernel;
}
