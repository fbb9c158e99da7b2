/* ADD_N: float32, int32 (wrapping): the elementwise sum of N >= 2 inputs of
 * the output's shape, added in input order. As ai-edge-litert's kernel (an
 * elementwise add per input with the float activation range), every float
 * partial sum is clamped to [-FLT_MAX, FLT_MAX]: MAX + MAX - MAX is MAX - MAX,
 * not inf; NaN stays NaN. */
#include "common/add_n.h"

#include <float.h>

#include "internal/quant.h"
#include "tfm/kernels.h"

tfm_status tfm_add_n_prepare(tfm_context *ctx, tfm_node *node) {
  if (node->num_inputs < 2 || node->num_outputs != 1) {
    return tfm_fail(ctx, TFM_BAD_MODEL, "ADD_N: expects at least 2 inputs and 1 output, got %d and %d",
                    node->num_inputs, node->num_outputs);
  }
  const tfm_tensor *out = tfm_output(ctx, node, 0);
  if (!out) return tfm_fail(ctx, TFM_BAD_MODEL, "ADD_N: missing output");
  if (out->type != TFM_FLOAT32 && out->type != TFM_INT32) {
    return tfm_fail(ctx, TFM_UNSUPPORTED, "ADD_N: type %s not supported",
                    tfm_type_name((tfm_type)out->type));
  }
  for (int k = 0; k < node->num_inputs; ++k) {
    const tfm_tensor *in = tfm_input(ctx, node, k);
    if (!in) return tfm_fail(ctx, TFM_BAD_MODEL, "ADD_N: input %d missing", k);
    if (in->type != out->type || in->rank != out->rank) {
      return tfm_fail(ctx, TFM_BAD_MODEL, "ADD_N: input %d is %s rank %d, output %s rank %d", k,
                      tfm_type_name((tfm_type)in->type), in->rank,
                      tfm_type_name((tfm_type)out->type), out->rank);
    }
    for (int d = 0; d < in->rank; ++d) {
      if (in->dims[d] != out->dims[d]) {
        return tfm_fail(ctx, TFM_BAD_MODEL, "ADD_N: input %d dim %d is %d, output's %d", k, d,
                        in->dims[d], out->dims[d]);
      }
    }
  }
  return TFM_OK;
}

tfm_status tfm_add_n_eval_reference(tfm_context *ctx, tfm_node *node) {
  tfm_tensor *out = tfm_output(ctx, node, 0);
  const int32_t n = tfm_tensor_elements(out);
  /* One pass per input after the first: y = clamp(clamp(x0 + x1) + x2) ... */
  const void *x0 = tfm_input(ctx, node, 0)->data;
  for (int k = 1; k < node->num_inputs; ++k) {
    const void *x = tfm_input(ctx, node, k)->data;
    if (out->type == TFM_FLOAT32) {
      float *y = (float *)out->data;
      const float *acc = k == 1 ? (const float *)x0 : y, *a = (const float *)x;
      for (int32_t i = 0; i < n; ++i) y[i] = tfm_clamp_f32(acc[i] + a[i], -FLT_MAX, FLT_MAX);
    } else {
      int32_t *y = (int32_t *)out->data;
      const int32_t *acc = k == 1 ? (const int32_t *)x0 : y, *a = (const int32_t *)x;
      for (int32_t i = 0; i < n; ++i) y[i] = tfm_wrap_i32((uint32_t)acc[i] + (uint32_t)a[i]);
    }
  }
  return TFM_OK;
}
