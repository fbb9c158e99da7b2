#include "common/shape_common.h"
#include "common/shape.h"

int64_t tfm_shape_read_index(const tfm_tensor *t, int32_t i) {
  const uint8_t *p = (const uint8_t *)t->data;
  if (t->type == TFM_INT32) {
    p += (size_t)i * 4u;
    return (int32_t)((uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) |
                     ((uint32_t)p[3] << 24));
  }
  if (t->type == TFM_INT64) {
    p += (size_t)i * 8u;
    uint64_t v = 0;
    for (int b = 7; b >= 0; --b) v = (v << 8) | p[b];
    return (int64_t)v;
  }
  return 0;
}

bool tfm_shape_is_index_type(const tfm_tensor *t) {
  return t->type == TFM_INT32 || t->type == TFM_INT64;
}

void tfm_shape_copy(void *dst, const void *src, size_t bytes) {
  uint8_t *d = (uint8_t *)dst;
  const uint8_t *s = (const uint8_t *)src;
  for (size_t i = 0; i < bytes; ++i) d[i] = s[i];
}

int32_t tfm_shape_product(const tfm_tensor *t, int from, int to) {
  int32_t p = 1;
  for (int i = from; i < to; ++i) p *= t->dims[i];
  return p;
}

int tfm_shape_axis(int32_t axis, int rank) {
  if (axis < 0) axis += rank;
  return (axis < 0 || axis >= rank) ? -1 : (int)axis;
}

tfm_status tfm_shape_check_io(tfm_context *ctx, const tfm_node *node, int min_inputs,
                              int max_inputs, int outputs) {
  if (node->num_inputs < min_inputs || node->num_inputs > max_inputs) {
    return tfm_fail(ctx, TFM_BAD_MODEL, "expected %d..%d inputs, got %d", min_inputs,
                    max_inputs, (int)node->num_inputs);
  }
  if (node->num_outputs != outputs) {
    return tfm_fail(ctx, TFM_BAD_MODEL, "expected %d outputs, got %d", outputs,
                    (int)node->num_outputs);
  }
  for (int i = 0; i < min_inputs; ++i) {
    if (tfm_input(ctx, node, i) == NULL) {
      return tfm_fail(ctx, TFM_BAD_MODEL, "input %d missing", i);
    }
  }
  for (int i = 0; i < outputs; ++i) {
    if (tfm_output(ctx, node, i) == NULL) {
      return tfm_fail(ctx, TFM_BAD_MODEL, "output %d missing", i);
    }
  }
  return TFM_OK;
}

tfm_status tfm_shape_check_data_and_index(tfm_context *ctx, const char *data_role,
                                          const tfm_tensor *data, const char *index_role,
                                          const tfm_tensor *index, const tfm_tensor *out) {
  if (tfm_type_size((tfm_type)data->type) == 0 || data->type != out->type) {
    return tfm_fail(ctx, TFM_UNSUPPORTED, "%s type %s / output type %s not supported", data_role,
                    tfm_type_name((tfm_type)data->type), tfm_type_name((tfm_type)out->type));
  }
  if (!tfm_shape_is_index_type(index)) {
    return tfm_fail(ctx, TFM_UNSUPPORTED, "%s type %s not supported (INT32/INT64)", index_role,
                    tfm_type_name((tfm_type)index->type));
  }
  return TFM_OK;
}

tfm_status tfm_shape_copy_prepare(tfm_context *ctx, tfm_node *node) {
  TFM_TRY(tfm_shape_check_io(ctx, node, 1, 2, 1));
  const tfm_tensor *in = tfm_input(ctx, node, 0);
  const tfm_tensor *out = tfm_output(ctx, node, 0);
  if (in->type != out->type) {
    return tfm_fail(ctx, TFM_UNSUPPORTED, "input type %s differs from output type %s",
                    tfm_type_name((tfm_type)in->type), tfm_type_name((tfm_type)out->type));
  }
  if (tfm_tensor_elements(in) != tfm_tensor_elements(out)) {
    return tfm_fail(ctx, TFM_BAD_MODEL, "input has %ld elements, output %ld",
                    (long)tfm_tensor_elements(in), (long)tfm_tensor_elements(out));
  }
  return TFM_OK;
}

tfm_status tfm_shape_copy_eval(tfm_context *ctx, tfm_node *node) {
  const tfm_tensor *in = tfm_input(ctx, node, 0);
  tfm_tensor *out = tfm_output(ctx, node, 0);
  if (in->data != out->data) tfm_shape_copy(out->data, in->data, (size_t)tfm_tensor_bytes(out));
  return TFM_OK;
}

void tfm_shape_split_outputs(tfm_context *ctx, const tfm_node *node, const tfm_tensor *in,
                             int32_t outer) {
  const size_t es = tfm_type_size((tfm_type)in->type);
  const uint8_t *src = (const uint8_t *)in->data;
  for (int32_t o = 0; o < outer; ++o) {
    for (int k = 0; k < node->num_outputs; ++k) {
      tfm_tensor *out = tfm_output(ctx, node, k);
      const size_t n = (size_t)(tfm_tensor_elements(out) / outer) * es;
      tfm_shape_copy((uint8_t *)out->data + (size_t)o * n, src, n);
      src += n;
    }
  }
}

tfm_status tfm_shape_split_check_types(tfm_context *ctx, const tfm_node *node,
                                       const tfm_tensor *in, const tfm_tensor *axis) {
  if (axis->type != TFM_INT32) {
    return tfm_fail(ctx, TFM_UNSUPPORTED, "axis type %s not supported (INT32)",
                    tfm_type_name((tfm_type)axis->type));
  }
  if (tfm_type_size((tfm_type)in->type) == 0) {
    return tfm_fail(ctx, TFM_UNSUPPORTED, "input type %s not supported",
                    tfm_type_name((tfm_type)in->type));
  }
  return tfm_shape_check_types(ctx, node, in, true, 0);
}

tfm_status tfm_shape_split_check_sizes(tfm_context *ctx, const tfm_node *node,
                                       const tfm_tensor *in) {
  int32_t total = 0;
  for (int k = 0; k < node->num_outputs; ++k) {
    total += tfm_tensor_elements(tfm_output(ctx, node, k));
  }
  if (total != tfm_tensor_elements(in)) {
    return tfm_fail(ctx, TFM_BAD_MODEL, "outputs hold %ld elements, input %ld", (long)total,
                    (long)tfm_tensor_elements(in));
  }
  return TFM_OK;
}

tfm_status tfm_shape_split_eval(tfm_context *ctx, const tfm_node *node, const tfm_tensor *in,
                                const tfm_tensor *axis, bool equal_splits) {
  const int a = tfm_shape_axis((int32_t)tfm_shape_read_index(axis, 0), in->rank);
  if (a < 0) {
    return tfm_fail(ctx, TFM_BAD_ARGUMENT, "axis out of range for rank %d", (int)in->rank);
  }
  if (equal_splits && in->dims[a] % node->num_outputs != 0) {
    return tfm_fail(ctx, TFM_BAD_ARGUMENT, "dim %ld not divisible into %d splits",
                    (long)in->dims[a], (int)node->num_outputs);
  }
  tfm_shape_split_outputs(ctx, node, in, tfm_shape_product(in, 0, a));
  return TFM_OK;
}

void tfm_shape_join_inputs(tfm_context *ctx, const tfm_node *node, int first, tfm_tensor *out,
                           int32_t outer) {
  const size_t es = tfm_type_size((tfm_type)out->type);
  uint8_t *dst = (uint8_t *)out->data;
  for (int32_t o = 0; o < outer; ++o) {
    for (int k = first; k < node->num_inputs; ++k) {
      const tfm_tensor *in = tfm_input(ctx, node, k);
      const size_t n = (size_t)(tfm_tensor_elements(in) / outer) * es;
      tfm_shape_copy(dst, (const uint8_t *)in->data + (size_t)o * n, n);
      dst += n;
    }
  }
}

tfm_status tfm_shape_check_types(tfm_context *ctx, const tfm_node *node, const tfm_tensor *ref,
                                 bool outputs, int first) {
  const int n = outputs ? node->num_outputs : node->num_inputs;
  for (int k = first; k < n; ++k) {
    const tfm_tensor *t = outputs ? tfm_output(ctx, node, k) : tfm_input(ctx, node, k);
    if (t == NULL) {
      return tfm_fail(ctx, TFM_BAD_MODEL, "%s %d missing", outputs ? "output" : "input", k);
    }
    if (t->type != ref->type) {
      return tfm_fail(ctx, TFM_UNSUPPORTED, "%s %d type %s differs from %s",
                      outputs ? "output" : "input", k, tfm_type_name((tfm_type)t->type),
                      tfm_type_name((tfm_type)ref->type));
    }
  }
  return TFM_OK;
}

void tfm_shape_strides(const tfm_tensor *t, int32_t *strides) {
  int32_t s = 1;
  for (int d = t->rank - 1; d >= 0; --d) {
    strides[d] = s;
    s *= t->dims[d];
  }
}

void tfm_shape_view_copy(void *dst, const void *src, size_t elem_size, int rank,
                         const int32_t *counts, const int32_t *steps, int32_t base) {
  int32_t idx[TFM_MAX_DIMS] = {0};
  int32_t total = 1;
  for (int d = 0; d < rank; ++d) total *= counts[d];
  uint8_t *out = (uint8_t *)dst;
  const uint8_t *in = (const uint8_t *)src;
  int32_t off = base;
  for (int32_t k = 0; k < total; ++k) {
    tfm_shape_copy(out, in + (size_t)off * elem_size, elem_size);
    out += elem_size;
    /* Odometer increment, keeping `off` in step. */
    for (int d = rank - 1; d >= 0; --d) {
      off += steps[d];
      if (++idx[d] < counts[d]) break;
      off -= steps[d] * counts[d];
      idx[d] = 0;
    }
  }
}

tfm_status tfm_shape_pad_prepare(tfm_context *ctx, tfm_node *node) {
  TFM_TRY(tfm_shape_check_io(ctx, node, 2, 3, 1));
  const tfm_tensor *in = tfm_input(ctx, node, 0);
  const tfm_tensor *pads = tfm_input(ctx, node, 1);
  const tfm_tensor *out = tfm_output(ctx, node, 0);
  const tfm_tensor *value = node->num_inputs > 2 ? tfm_input(ctx, node, 2) : NULL;
  const tfm_type type = (tfm_type)in->type;
  if (type != TFM_INT8 && type != TFM_INT16 && type != TFM_INT32 && type != TFM_FLOAT32 &&
      type != TFM_INT64) {
    return tfm_fail(ctx, TFM_UNSUPPORTED, "input type %s not supported", tfm_type_name(type));
  }
  if (out->type != type || (value != NULL && value->type != type)) {
    return tfm_fail(ctx, TFM_UNSUPPORTED, "output/constant type differs from input type %s",
                    tfm_type_name(type));
  }
  if (!tfm_shape_is_index_type(pads)) {
    return tfm_fail(ctx, TFM_UNSUPPORTED, "paddings type %s not supported (INT32/INT64)",
                    tfm_type_name((tfm_type)pads->type));
  }
  if (in->rank != out->rank || in->rank > TFM_MAX_DIMS ||
      tfm_tensor_elements(pads) != 2 * in->rank) {
    return tfm_fail(ctx, TFM_BAD_MODEL, "paddings must be [%d, 2] for input rank %d",
                    (int)in->rank, (int)in->rank);
  }
  if (value != NULL && (type == TFM_INT8 || type == TFM_INT16) &&
      (value->zero_point != out->zero_point || value->scale != out->scale)) {
    return tfm_fail(ctx, TFM_UNSUPPORTED, "constant_values quantization differs from output");
  }
  return TFM_OK;
}

tfm_status tfm_shape_pad_eval(tfm_context *ctx, tfm_node *node, const void *pad) {
  const tfm_tensor *in = tfm_input(ctx, node, 0);
  const tfm_tensor *pads = tfm_input(ctx, node, 1);
  tfm_tensor *out = tfm_output(ctx, node, 0);
  const int rank = in->rank;
  const size_t es = tfm_type_size((tfm_type)in->type);
  int32_t before[TFM_MAX_DIMS];
  for (int d = 0; d < rank; ++d) {
    const int64_t lo = tfm_shape_read_index(pads, 2 * d);
    const int64_t hi = tfm_shape_read_index(pads, 2 * d + 1);
    if (lo < 0 || hi < 0 || lo + in->dims[d] + hi != out->dims[d]) {
      return tfm_fail(ctx, TFM_BAD_ARGUMENT, "paddings of dim %d do not give the output shape", d);
    }
    before[d] = (int32_t)lo;
  }
  int32_t idx[TFM_MAX_DIMS] = {0};
  const int32_t total = tfm_tensor_elements(out);
  uint8_t *dst = (uint8_t *)out->data;
  const uint8_t *src = (const uint8_t *)in->data;
  for (int32_t k = 0; k < total; ++k) {
    bool inside = true;
    for (int d = 0; d < rank; ++d) {
      const int32_t i = idx[d] - before[d];
      if (i < 0 || i >= in->dims[d]) { inside = false; break; }
    }
    /* The input is read in order: every inside element is the next one. */
    if (inside) {
      tfm_shape_copy(dst, src, es);
      src += es;
    } else {
      tfm_shape_copy(dst, pad, es);
    }
    dst += es;
    for (int d = rank - 1; d >= 0; --d) {
      if (++idx[d] < out->dims[d]) break;
      idx[d] = 0;
    }
  }
  return TFM_OK;
}

float tfm_shape_floorf(float x) {
  if (x >= 2147483647.0f || x <= -2147483647.0f) return x;
  const float t = (float)(int32_t)x;
  return t > x ? t - 1.0f : t;
}

float tfm_shape_ceilf(float x) {
  if (x >= 2147483647.0f || x <= -2147483647.0f) return x;
  const float t = (float)(int32_t)x;
  return t < x ? t + 1.0f : t;
}

tfm_status tfm_shape_resize_prepare(tfm_context *ctx, tfm_node *node, bool integer_only) {
  TFM_TRY(tfm_shape_check_io(ctx, node, 2, 2, 1));
  const tfm_tensor *in = tfm_input(ctx, node, 0);
  const tfm_tensor *size = tfm_input(ctx, node, 1);
  const tfm_tensor *out = tfm_output(ctx, node, 0);
  const tfm_type t = (tfm_type)in->type;
  const bool ok = t == TFM_INT8 || t == TFM_INT16 || t == TFM_FLOAT32 ||
                  (!integer_only && (t == TFM_INT32 || t == TFM_UINT8));
  if (!ok || out->type != t) {
    return tfm_fail(ctx, TFM_UNSUPPORTED, "input type %s / output type %s not supported",
                    tfm_type_name(t), tfm_type_name((tfm_type)out->type));
  }
  if (in->rank != 4 || out->rank != 4 || in->dims[0] != out->dims[0] ||
      in->dims[3] != out->dims[3]) {
    return tfm_fail(ctx, TFM_BAD_MODEL, "input and output must be NHWC with equal N and C");
  }
  if (size->type != TFM_INT32 || tfm_tensor_elements(size) != 2) {
    return tfm_fail(ctx, TFM_UNSUPPORTED, "size must be an INT32 tensor of 2 elements");
  }
  return TFM_OK;
}

tfm_status tfm_shape_resize_check_size(tfm_context *ctx, const tfm_node *node) {
  const tfm_tensor *size = tfm_input(ctx, node, 1);
  const tfm_tensor *out = tfm_output(ctx, node, 0);
  if (tfm_shape_read_index(size, 0) != out->dims[1] ||
      tfm_shape_read_index(size, 1) != out->dims[2]) {
    return tfm_fail(ctx, TFM_BAD_ARGUMENT, "size (%ld, %ld) differs from the output shape",
                    (long)tfm_shape_read_index(size, 0), (long)tfm_shape_read_index(size, 1));
  }
  return TFM_OK;
}

/* -- SHAPE: prepare and reference eval (common/shape.h) -- */
tfm_status tfm_shape_prepare(tfm_context *ctx, tfm_node *node) {
  TFM_TRY(tfm_shape_check_io(ctx, node, 1, 1, 1));
  const tfm_tensor *in = tfm_input(ctx, node, 0);
  const tfm_tensor *out = tfm_output(ctx, node, 0);
  if (!tfm_shape_is_index_type(out)) {
    return tfm_fail(ctx, TFM_UNSUPPORTED, "output type %s not supported (INT32/INT64)",
                    tfm_type_name((tfm_type)out->type));
  }
  if (tfm_tensor_elements(out) != in->rank) {
    return tfm_fail(ctx, TFM_BAD_MODEL, "output has %ld elements for input rank %d",
                    (long)tfm_tensor_elements(out), (int)in->rank);
  }
  return TFM_OK;
}

tfm_status tfm_shape_eval_reference(tfm_context *ctx, tfm_node *node) {
  const tfm_tensor *in = tfm_input(ctx, node, 0);
  tfm_tensor *out = tfm_output(ctx, node, 0);
  for (int i = 0; i < in->rank; ++i) {
    if (out->type == TFM_INT32) {
      ((int32_t *)out->data)[i] = in->dims[i];
    } else {
      ((int64_t *)out->data)[i] = in->dims[i];
    }
  }
  return TFM_OK;
}
