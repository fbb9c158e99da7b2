/* SELECT_V2: y = condition ? x : y-input, the three inputs broadcast against
 * each other (numpy rules) to the output's shape. condition is BOOL; x, y and
 * the output share one type of any element size (values are copied, so
 * quantized inputs must share the output's quantization). */
#include "common/select_v2.h"

#include "common/layout_common.h"
#include "common/shape_common.h"
#include "tfm/kernels.h"

typedef struct select_data {
  int32_t steps[3][TFM_MAX_DIMS]; /* condition, x, y */
} select_data;

tfm_status tfm_select_v2_prepare(tfm_context *ctx, tfm_node *node) {
  TFM_TRY(tfm_shape_check_io(ctx, node, 3, 3, 1));
  const tfm_tensor *cond = tfm_input(ctx, node, 0);
  const tfm_tensor *x = tfm_input(ctx, node, 1);
  const tfm_tensor *y = tfm_input(ctx, node, 2);
  const tfm_tensor *out = tfm_output(ctx, node, 0);
  if (cond->type != TFM_BOOL) {
    return tfm_fail(ctx, TFM_UNSUPPORTED, "condition type %s not supported (needs BOOL)",
                    tfm_type_name((tfm_type)cond->type));
  }
  TFM_TRY(tfm_layout_same_type(ctx, "x", x, "output", out, true));
  TFM_TRY(tfm_layout_same_type(ctx, "y", y, "output", out, true));
  if (out->rank > TFM_MAX_DIMS) return tfm_fail(ctx, TFM_UNSUPPORTED, "rank %d not supported", out->rank);
  select_data *d;
  TFM_TRY(tfm_alloc_persistent(ctx, sizeof(*d), (void **)&d));
  TFM_TRY(tfm_layout_bcast_steps(ctx, "condition", cond, out, d->steps[0]));
  TFM_TRY(tfm_layout_bcast_steps(ctx, "x", x, out, d->steps[1]));
  TFM_TRY(tfm_layout_bcast_steps(ctx, "y", y, out, d->steps[2]));
  /* The output must be exactly the broadcast of the three shapes. */
  for (int k = 0; k < out->rank; ++k) {
    bool stretched = false;
    for (int t = 0; t < 3; ++t) {
      const tfm_tensor *in = tfm_input(ctx, node, t);
      const int j = k - (out->rank - in->rank);
      stretched = stretched || (j >= 0 && in->dims[j] == out->dims[k]);
    }
    if (!stretched && out->dims[k] != 1) {
      return tfm_fail(ctx, TFM_BAD_MODEL, "output dim %d is %d, no input has it", k, out->dims[k]);
    }
  }
  node->data = d;
  return TFM_OK;
}

tfm_status tfm_select_v2_eval_reference(tfm_context *ctx, tfm_node *node) {
  const select_data *d = (const select_data *)node->data;
  const uint8_t *cond = (const uint8_t *)tfm_input(ctx, node, 0)->data;
  const uint8_t *x = (const uint8_t *)tfm_input(ctx, node, 1)->data;
  const uint8_t *y = (const uint8_t *)tfm_input(ctx, node, 2)->data;
  tfm_tensor *out = tfm_output(ctx, node, 0);
  const size_t es = tfm_type_size((tfm_type)out->type);
  const int rank = out->rank;
  const int32_t n = tfm_tensor_elements(out);
  int32_t idx[TFM_MAX_DIMS] = {0}, off[3] = {0, 0, 0};
  uint8_t *o = (uint8_t *)out->data;
  for (int32_t i = 0; i < n; ++i) {
    const uint8_t *src = cond[off[0]] ? x + (size_t)off[1] * es : y + (size_t)off[2] * es;
    tfm_shape_copy(o + (size_t)i * es, src, es);
    for (int k = rank - 1; k >= 0; --k) { /* odometer over the output */
      for (int t = 0; t < 3; ++t) off[t] += d->steps[t][k];
      if (++idx[k] < out->dims[k]) break;
      for (int t = 0; t < 3; ++t) off[t] -= d->steps[t][k] * out->dims[k];
      idx[k] = 0;
    }
  }
  return TFM_OK;
}
