/* TANH: float32, int8 (256-entry table built in prepare from the float
 * function, as TFLite's LUTPopulate), int16 (see common/activation_common). */
#include "common/activation_common.h"
#include "internal/fixedpoint.h"
#include "internal/quant.h"
#include "tfm/kernels.h"

typedef struct tanh_data {
  int8_t table[256];
  int32_t input_multiplier;  /* int16 path */
  int input_left_shift;
} tanh_data;

static tfm_status prepare(tfm_context *ctx, tfm_node *node) {
  static const int kTypes[] = {TFM_INT8, TFM_INT16, TFM_FLOAT32, -1};
  const tfm_tensor *in, *out;
  TFM_TRY(tfm_unary_prepare(ctx, node, "TANH", kTypes, true, sizeof(tanh_data), &in, &out));
  tanh_data *d = (tanh_data *)node->data;
  if (in->type == TFM_INT8) {
    tfm_lut_populate_i8(in->scale, in->zero_point, out->scale, out->zero_point, tfm_tanhf,
                        d->table);
  } else if (in->type == TFM_INT16) {
    TFM_TRY(tfm_sigmoid_i16_prepare(ctx, "TANH", in, out, true, &d->input_multiplier,
                                    &d->input_left_shift));
  }
  return TFM_OK;
}

static tfm_status eval(tfm_context *ctx, tfm_node *node) {
  const tanh_data *d = (const tanh_data *)node->data;
  const tfm_tensor *in = tfm_input(ctx, node, 0);
  tfm_tensor *out = tfm_output(ctx, node, 0);
  const int32_t n = tfm_tensor_elements(in);
  switch (in->type) {
    case TFM_FLOAT32: {
      const float *x = (const float *)in->data;
      float *y = (float *)out->data;
      for (int32_t i = 0; i < n; ++i) y[i] = tfm_tanhf(x[i]);
      break;
    }
    case TFM_INT8: {
      const int8_t *x = (const int8_t *)in->data;
      int8_t *y = (int8_t *)out->data;
      for (int32_t i = 0; i < n; ++i) y[i] = d->table[(uint8_t)x[i]];
      break;
    }
    default:
      tfm_sigmoid_i16(d->input_multiplier, d->input_left_shift, true, n,
                      (const int16_t *)in->data, (int16_t *)out->data);
      break;
  }
  return TFM_OK;
}

const tfm_kernel *tfm_register_tanh(void) {
  static const tfm_kernel kernel = {"TANH", 3, prepare, eval};
  return &kernel;
}
