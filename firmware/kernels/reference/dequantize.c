/* DEQUANTIZE: int8/uint8/int16 -> float32, per-tensor (scale applied in
 * double, as TFLite) or per-channel (in float). */
#include "common/activation_common.h"
#include "tfm/kernels.h"

typedef struct dequantize_data {
  int32_t channels;
  int32_t inner;
  const float *scales;
  const int32_t *zero_points;
} dequantize_data;

static tfm_status prepare(tfm_context *ctx, tfm_node *node) {
  static const int kTypes[] = {TFM_INT8, TFM_UINT8, TFM_INT16, -1};
  const tfm_tensor *in, *out;
  TFM_TRY(tfm_unary_prepare(ctx, node, "DEQUANTIZE", kTypes, false, sizeof(dequantize_data), &in,
                            &out));
  if (out->type != TFM_FLOAT32) {
    return tfm_fail(ctx, TFM_UNSUPPORTED, "DEQUANTIZE: output type %s not supported (FLOAT32 only)",
                    tfm_type_name((tfm_type)out->type));
  }
  dequantize_data *d = (dequantize_data *)node->data;
  tfm_quant q;
  TFM_TRY(tfm_tensor_quant(ctx, in, &q));
  d->channels = 1;
  if (q.count > 1) {
    const int dim = q.quantized_dimension;
    if (dim < 0 || dim >= in->rank || in->dims[dim] != q.count) {
      return tfm_fail(ctx, TFM_BAD_MODEL, "DEQUANTIZE: %d scales do not match dimension %d", q.count, dim);
    }
    float *scales;
    int32_t *zps;
    TFM_TRY(tfm_alloc_persistent(ctx, (size_t)q.count * sizeof(float), (void **)&scales));
    TFM_TRY(tfm_alloc_persistent(ctx, (size_t)q.count * sizeof(int32_t), (void **)&zps));
    for (int32_t c = 0; c < q.count; ++c) {
      scales[c] = tfm_quant_scale(&q, c);
      zps[c] = tfm_quant_zero_point(&q, c);
    }
    d->scales = scales;
    d->zero_points = zps;
    d->channels = q.count;
    d->inner = 1;
    for (int i = dim + 1; i < in->rank; ++i) d->inner *= in->dims[i];
  }
  return TFM_OK;
}

static tfm_status eval(tfm_context *ctx, tfm_node *node) {
  const dequantize_data *d = (const dequantize_data *)node->data;
  const tfm_tensor *in = tfm_input(ctx, node, 0);
  tfm_tensor *out = tfm_output(ctx, node, 0);
  const int32_t n = tfm_tensor_elements(in);
  float *y = (float *)out->data;
  for (int32_t i = 0; i < n; ++i) {
    int32_t v;
    switch (in->type) {
      case TFM_INT8: v = ((const int8_t *)in->data)[i]; break;
      case TFM_UINT8: v = ((const uint8_t *)in->data)[i]; break;
      default: v = ((const int16_t *)in->data)[i]; break;
    }
    if (d->channels > 1) {
      const int32_t c = (i / d->inner) % d->channels;
      y[i] = d->scales[c] * (float)(v - d->zero_points[c]);
    } else {
      y[i] = (float)((double)in->scale * (double)(v - in->zero_point));
    }
  }
  (void)ctx;
  return TFM_OK;
}

const tfm_kernel *tfm_register_dequantize(void) {
  static const tfm_kernel kernel = {"DEQUANTIZE", 6, prepare, eval};
  return &kernel;
}
