/* LOG_SOFTMAX: float32 over the last dim, as TFLite's reference_ops::LogSoftmax:
 * x - max - log(sum(exp(x - max))), float sums in order. */
#include <float.h>

#include "common/activation_common.h"
#include "internal/fixedpoint.h"
#include "internal/fmath.h"
#include "tfm/kernels.h"

static tfm_status prepare(tfm_context *ctx, tfm_node *node) {
  static const int kTypes[] = {TFM_FLOAT32, -1};
  const tfm_tensor *in, *out;
  TFM_TRY(tfm_unary_prepare(ctx, node, "LOG_SOFTMAX", kTypes, true, 0, &in, &out));
  if (in->rank < 1) return tfm_fail(ctx, TFM_BAD_MODEL, "input needs rank >= 1");
  return TFM_OK;
}

static tfm_status eval(tfm_context *ctx, tfm_node *node) {
  const tfm_tensor *in = tfm_input(ctx, node, 0);
  tfm_tensor *out = tfm_output(ctx, node, 0);
  const int32_t depth = in->dims[in->rank - 1];
  const int32_t outer = depth ? tfm_tensor_elements(in) / depth : 0;
  for (int32_t i = 0; i < outer; ++i) {
    const float *x = (const float *)in->data + (size_t)i * depth;
    float *y = (float *)out->data + (size_t)i * depth;
    float max = -FLT_MAX; /* std::numeric_limits<float>::lowest() */
    for (int32_t c = 0; c < depth; ++c) max = x[c] > max ? x[c] : max;
    float sum = 0.0f;
    for (int32_t c = 0; c < depth; ++c) sum += tfm_expf(x[c] - max);
    const float log_sum = tfm_logf(sum);
    for (int32_t c = 0; c < depth; ++c) y[c] = x[c] - max - log_sum;
  }
  return TFM_OK;
}

const tfm_kernel *tfm_register_log_softmax(void) {
  static const tfm_kernel kernel = {"LOG_SOFTMAX", 1, prepare, eval};
  return &kernel;
}
