/* EMBEDDING_LOOKUP: ids (INT32 [n]) pick rows of value ([rows, ...]) into
 * the output [n, ...]. Same type in and out copies rows (float32, int8,
 * uint8, int16, int32, int64); INT8/UINT8 value with a FLOAT32 output is
 * TFLite's hybrid lookup: each element times the value's scale (the row's
 * scale when quantized per row). An id outside [0, rows) fails the op. */
#include "common/embedding_lookup.h"

#include "common/layout_common.h"
#include "common/shape_common.h"
#include "tfm/kernels.h"

typedef struct lookup_data {
  tfm_quant quant; /* hybrid only */
} lookup_data;

static bool hybrid(const tfm_tensor *value, const tfm_tensor *out) {
  return out->type == TFM_FLOAT32 && (value->type == TFM_INT8 || value->type == TFM_UINT8);
}

tfm_status tfm_embedding_lookup_prepare(tfm_context *ctx, tfm_node *node) {
  TFM_TRY(tfm_shape_check_io(ctx, node, 2, 2, 1));
  const tfm_tensor *ids = tfm_input(ctx, node, 0);
  const tfm_tensor *value = tfm_input(ctx, node, 1);
  const tfm_tensor *out = tfm_output(ctx, node, 0);
  if (ids->type != TFM_INT32 || ids->rank != 1) {
    return tfm_fail(ctx, TFM_UNSUPPORTED, "ids must be an INT32 vector");
  }
  if (value->rank < 1 || out->rank != value->rank || out->dims[0] != ids->dims[0] ||
      tfm_shape_product(out, 1, out->rank) != tfm_shape_product(value, 1, value->rank)) {
    return tfm_fail(ctx, TFM_BAD_MODEL, "output must be [ids, value row shape]");
  }
  lookup_data *d;
  TFM_TRY(tfm_alloc_persistent(ctx, sizeof(*d), (void **)&d));
  node->data = d;
  if (hybrid(value, out)) {
    TFM_TRY(tfm_tensor_quant(ctx, value, &d->quant));
    if (d->quant.count != 1 && d->quant.count != value->dims[0]) {
      return tfm_fail(ctx, TFM_UNSUPPORTED, "value has %d scales for %d rows", d->quant.count,
                      value->dims[0]);
    }
    return TFM_OK;
  }
  return tfm_layout_same_type(ctx, "value", value, "output", out, true);
}

tfm_status tfm_embedding_lookup_eval_reference(tfm_context *ctx, tfm_node *node) {
  const lookup_data *d = (const lookup_data *)node->data;
  const tfm_tensor *ids = tfm_input(ctx, node, 0);
  const tfm_tensor *value = tfm_input(ctx, node, 1);
  tfm_tensor *out = tfm_output(ctx, node, 0);
  const int32_t n = ids->dims[0], rows = value->dims[0];
  const int32_t row = tfm_shape_product(value, 1, value->rank);
  const bool hyb = hybrid(value, out);
  const size_t es = tfm_type_size((tfm_type)value->type);
  for (int32_t i = 0; i < n; ++i) {
    const int32_t id = (int32_t)tfm_shape_read_index(ids, i);
    if (id < 0 || id >= rows) {
      return tfm_fail(ctx, TFM_BAD_ARGUMENT, "id %d at %d out of range [0, %d)", id, i, rows);
    }
    if (!hyb) {
      tfm_shape_copy((uint8_t *)out->data + (size_t)i * row * es,
                     (const uint8_t *)value->data + (size_t)id * row * es, (size_t)row * es);
      continue;
    }
    const float scale = tfm_quant_scale(&d->quant, d->quant.count == 1 ? 0 : id);
    float *y = (float *)out->data + (size_t)i * row;
    for (int32_t j = 0; j < row; ++j) {
      const int32_t q = value->type == TFM_INT8 ? ((const int8_t *)value->data)[(size_t)id * row + j]
                                                : ((const uint8_t *)value->data)[(size_t)id * row + j];
      y[j] = scale * (float)q;
    }
  }
  return TFM_OK;
}
