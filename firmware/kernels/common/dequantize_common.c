/* DEQUANTIZE shared pieces: prepare and the reference eval (see
 * common/dequantize.h). */
#include "common/dequantize.h"

#include "common/activation_common.h"

tfm_status tfm_dequantize_prepare(tfm_context *ctx, tfm_node *node) {
  static const int kTypes[] = {TFM_INT8, TFM_UINT8, TFM_INT16, -1};
  const tfm_tensor *in, *out;
  TFM_TRY(tfm_unary_prepare(ctx, node, "DEQUANTIZE", kTypes, false, sizeof(tfm_channel_quant), &in,
                            &out));
  if (out->type != TFM_FLOAT32) {
    return tfm_fail(ctx, TFM_UNSUPPORTED, "DEQUANTIZE: output type %s not supported (FLOAT32 only)",
                    tfm_type_name((tfm_type)out->type));
  }
  tfm_quant q;
  TFM_TRY(tfm_tensor_quant(ctx, in, &q));
  return tfm_channel_quant_prepare(ctx, "DEQUANTIZE", in, &q, (tfm_channel_quant *)node->data);
}

tfm_status tfm_dequantize_eval_reference(tfm_context *ctx, tfm_node *node) {
  const tfm_channel_quant *cq = (const tfm_channel_quant *)node->data;
  const tfm_tensor *in = tfm_input(ctx, node, 0);
  tfm_tensor *out = tfm_output(ctx, node, 0);
  const int32_t n = tfm_tensor_elements(in);
  float *y = (float *)out->data;
  for (int32_t i = 0; i < n; ++i) {
    const int32_t v = tfm_load_quantized(in->data, (tfm_type)in->type, i);
    if (cq->channels > 1) {
      const int32_t c = tfm_channel_of(cq, i);
      y[i] = cq->scales[c] * (float)(v - cq->zero_points[c]);
    } else {
      y[i] = (float)((double)in->scale * (double)(v - in->zero_point));
    }
  }
  (void)ctx;
  return TFM_OK;
}
