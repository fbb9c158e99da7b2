/* Model reader: checks the whole .tflite flatbuffer once (identifier, schema
 * version, every table, vector and index) and builds the runtime's subgraph,
 * tensor and node records in the arena tail. After this, kernels and the
 * interpreter read the model without further bounds checks. */
#include <string.h>

#include "fb.h"
#include "runtime.h"

/* Schema vtable offsets (tflite/schema.fbs). */
enum {
  MODEL_VERSION = 4, MODEL_OPCODES = 6, MODEL_SUBGRAPHS = 8, MODEL_BUFFERS = 12,
  MODEL_METADATA = 16,
  OPCODE_DEPRECATED = 4, OPCODE_CUSTOM = 6, OPCODE_VERSION = 8, OPCODE_BUILTIN = 10,
  SUBGRAPH_TENSORS = 4, SUBGRAPH_INPUTS = 6, SUBGRAPH_OUTPUTS = 8, SUBGRAPH_OPERATORS = 10,
  TENSOR_SHAPE = 4, TENSOR_TYPE = 6, TENSOR_BUFFER = 8, TENSOR_QUANT = 12,
  TENSOR_IS_VARIABLE = 14,
  QUANT_SCALE = 8, QUANT_ZERO_POINT = 10, QUANT_DIM = 16,
  OP_OPCODE = 4, OP_INPUTS = 6, OP_OUTPUTS = 8, OP_OPTIONS = 12, OP_CUSTOM_OPTIONS = 14,
  OP_INTERMEDIATES = 20,
  BUFFER_DATA = 4, BUFFER_OFFSET = 6,
  METADATA_NAME = 4, METADATA_BUFFER = 6
};

/* Largest schema TensorType value (BFLOAT16); tfm_schema_type_size sizes them all. */
enum { SCHEMA_MAX_TYPE = 18 };

/* Limits of the compact runtime records (tfm_tensor, tfm_node). */
enum { MAX_SUBGRAPHS = 256, MAX_TENSORS = 0xffff, MAX_OPERATORS = 0xffff, MAX_BUILTIN = 0xffff,
       MAX_VERSION = 0xff };

enum { CODE_IF = 118, CODE_WHILE = 119, CODE_CALL_ONCE = 129 };

static tfm_status root(tfm_context *ctx, tfm_fb_table *model) {
  if (ctx->model_size < 8) {
    return TFM_RT_FAIL(ctx, TFM_BAD_MODEL, "model is %lu bytes, too short for a .tflite file",
                       (unsigned long)ctx->model_size);
  }
  if (memcmp(ctx->model + 4, "TFL3", 4) != 0) {
    return TFM_RT_FAIL(ctx, TFM_BAD_MODEL,
                       "file identifier is %x, expected 'TFL3' (not a .tflite model)",
                       (unsigned)tfm_fb_u32(ctx->model + 4));
  }
  TFM_TRY(tfm_fb_table_at(ctx, tfm_fb_u32(ctx->model), "Model", -1, model));
  uint32_t version;
  TFM_TRY(tfm_fb_scalar(ctx, model, MODEL_VERSION, 4, 0, "Model", -1, &version));
  if (version != 3) {
    return TFM_RT_FAIL(ctx, TFM_UNSUPPORTED, "schema version %lu not supported (expected 3)",
                       (unsigned long)version);
  }
  return TFM_OK;
}

tfm_status tfm_model_opcode(tfm_context *ctx, uint32_t index, int32_t *code, int32_t *version,
                            const char **custom_name) {
  tfm_fb_vec v = {ctx->opcodes_pos, ctx->num_opcodes};
  tfm_fb_table t;
  uint32_t deprecated, builtin, ver;
  if (index >= ctx->num_opcodes) {
    return TFM_RT_FAIL(ctx, TFM_BAD_MODEL, "operator code %lu out of range (%lu codes)",
                       (unsigned long)index, (unsigned long)ctx->num_opcodes);
  }
  TFM_TRY(tfm_fb_vector_table(ctx, &v, index, "OperatorCode", &t));
  TFM_TRY(tfm_fb_scalar(ctx, &t, OPCODE_DEPRECATED, 1, 0, "OperatorCode", (int32_t)index,
                        &deprecated));
  TFM_TRY(tfm_fb_scalar(ctx, &t, OPCODE_BUILTIN, 4, 0, "OperatorCode", (int32_t)index,
                        &builtin));
  TFM_TRY(tfm_fb_scalar(ctx, &t, OPCODE_VERSION, 4, 1, "OperatorCode", (int32_t)index, &ver));
  TFM_TRY(tfm_fb_string(ctx, &t, OPCODE_CUSTOM, "OperatorCode", (int32_t)index, "custom_code",
                        custom_name));
  /* deprecated_builtin_code is an int8; codes >= 127 only live in builtin_code. */
  int32_t dep = (int32_t)(int8_t)(uint8_t)deprecated;
  *code = dep > (int32_t)builtin ? dep : (int32_t)builtin;
  *version = (int32_t)ver;
  return TFM_OK;
}

static tfm_status load_quant(tfm_context *ctx, const tfm_fb_table *tt, int32_t ti,
                             tfm_tensor *t) {
  tfm_fb_table q;
  bool present;
  tfm_fb_vec scale, zp;
  TFM_TRY(tfm_fb_subtable(ctx, tt, TENSOR_QUANT, "Tensor", ti, "quantization", &q, &present));
  if (!present) return TFM_OK;
  TFM_TRY(tfm_fb_vector(ctx, &q, QUANT_SCALE, 4, false, "Tensor", ti, "quantization scale",
                        &scale));
  TFM_TRY(tfm_fb_vector(ctx, &q, QUANT_ZERO_POINT, 8, false, "Tensor", ti,
                        "quantization zero_point", &zp));
  uint32_t dim;
  TFM_TRY(tfm_fb_scalar(ctx, &q, QUANT_DIM, 4, 0, "Tensor", ti, &dim));
  /* Reject parameters no kernel can use, so kernels never see them. */
  tfm_quant qq = {(int32_t)scale.len, (int32_t)dim, ctx->model + scale.pos, ctx->model + zp.pos,
                  (int32_t)zp.len};
  int32_t lo = -0x7fffffff, hi = 0x7fffffff;
  if (t->type == TFM_INT8) lo = -128, hi = 127;
  if (t->type == TFM_UINT8) lo = 0, hi = 255;
  if (t->type == TFM_INT16) lo = -32768, hi = 32767;
  for (uint32_t i = 0; i < scale.len; ++i) {
    /* IEEE-754 bits: sign clear and exponent not all ones = finite, >= 0 */
    if ((tfm_fb_u32(ctx->model + scale.pos + 4 * i) >> 23) >= 0xffu) {
      return TFM_RT_FAIL(ctx, TFM_BAD_MODEL, "Tensor %d: quantization scale %lu is not a finite "
                         "non-negative number", (int)ti, (unsigned long)i);
    }
  }
  for (uint32_t i = 0; i < zp.len; ++i) {
    const uint8_t *p = ctx->model + zp.pos + 8 * i;
    int32_t v = (int32_t)tfm_fb_u32(p);
    uint32_t high = tfm_fb_u32(p + 4);
    if (high != (v < 0 ? 0xffffffffu : 0u) || v < lo || v > hi) {
      return TFM_RT_FAIL(ctx, TFM_BAD_MODEL, "Tensor %d: zero point %lu out of range for %s",
                         (int)ti, (unsigned long)i, tfm_type_name((tfm_type)t->type));
    }
    if (v < INT16_MIN || v > INT16_MAX) { /* tfm_tensor keeps an int16 zero point */
      return TFM_RT_FAIL(ctx, TFM_UNSUPPORTED, "Tensor %d: zero point %lu is %ld, outside the "
                         "int16 range (not supported for %s tensors)", (int)ti, (unsigned long)i,
                         (long)v, tfm_type_name((tfm_type)t->type));
    }
  }
  if (scale.len > 0) t->scale = tfm_quant_scale(&qq, 0);
  if (zp.len > 0) t->zero_point = (int16_t)tfm_quant_zero_point(&qq, 0);
  return TFM_OK;
}

static tfm_status load_tensor(tfm_context *ctx, const tfm_fb_vec *tensors, uint16_t si,
                              int32_t ti, tfm_tensor *t) {
  tfm_fb_table tt;
  tfm_fb_vec shape;
  uint32_t type, buffer, is_var;
  TFM_TRY(tfm_fb_vector_table(ctx, tensors, (uint32_t)ti, "Tensor", &tt));
  TFM_TRY(tfm_fb_vector(ctx, &tt, TENSOR_SHAPE, 4, true, "Tensor", ti, "shape vector", &shape));
  TFM_TRY(tfm_fb_scalar(ctx, &tt, TENSOR_TYPE, 1, 0, "Tensor", ti, &type));
  TFM_TRY(tfm_fb_scalar(ctx, &tt, TENSOR_BUFFER, 4, 0, "Tensor", ti, &buffer));
  TFM_TRY(tfm_fb_scalar(ctx, &tt, TENSOR_IS_VARIABLE, 1, 0, "Tensor", ti, &is_var));
  if (shape.len > TFM_MAX_DIMS) {
    return TFM_RT_FAIL(ctx, TFM_UNSUPPORTED, "Tensor %d: rank %lu exceeds %d", (int)ti,
                       (unsigned long)shape.len, TFM_MAX_DIMS);
  }
  t->index = (uint16_t)ti;
  t->subgraph = (uint8_t)si;
  t->type = (uint8_t)type;
  t->rank = (uint8_t)shape.len;
  t->dims = shape.len ? (const int32_t *)(const void *)(ctx->model + shape.pos) : NULL;
  if (type > SCHEMA_MAX_TYPE) {
    return TFM_RT_FAIL(ctx, TFM_BAD_MODEL, "Tensor %d: unknown type %lu", (int)ti,
                       (unsigned long)type);
  }
  uint64_t elements = 1;
  for (uint32_t d = 0; d < shape.len; ++d) {
    if (t->dims[d] < 0) {
      return TFM_RT_FAIL(ctx, TFM_UNSUPPORTED, "Tensor %d: dynamic dimension %d (%d)", (int)ti,
                         (int)d, (int)t->dims[d]);
    }
    elements *= (uint64_t)t->dims[d];
    if (elements > 0x7fffffffu) {
      return TFM_RT_FAIL(ctx, TFM_BAD_MODEL, "Tensor %d: shape too large", (int)ti);
    }
  }
  uint64_t bytes = elements * tfm_schema_type_size(type);
  if (bytes > 0x7fffffffu) {
    return TFM_RT_FAIL(ctx, TFM_BAD_MODEL, "Tensor %d: shape too large", (int)ti);
  }
  if (is_var) t->flags |= TFM_TENSOR_VARIABLE;
  if (buffer >= ctx->num_buffers) {
    return TFM_RT_FAIL(ctx, TFM_BAD_MODEL, "Tensor %d: buffer %lu out of range (%lu buffers)",
                       (int)ti, (unsigned long)buffer, (unsigned long)ctx->num_buffers);
  }
  tfm_fb_vec bufs = {ctx->buffers_pos, ctx->num_buffers};
  tfm_fb_table bt;
  tfm_fb_vec data;
  uint32_t offset;
  TFM_TRY(tfm_fb_vector_table(ctx, &bufs, buffer, "Buffer", &bt));
  TFM_TRY(tfm_fb_vector(ctx, &bt, BUFFER_DATA, 1, false, "Buffer", (int32_t)buffer, "data",
                        &data));
  TFM_TRY(tfm_fb_scalar(ctx, &bt, BUFFER_OFFSET, 4, 0, "Buffer", (int32_t)buffer, &offset));
  if (offset > 1) {
    return TFM_RT_FAIL(ctx, TFM_UNSUPPORTED, "Buffer %lu: data outside the flatbuffer",
                       (unsigned long)buffer);
  }
  if (data.len > 0 && is_var) {
    return TFM_RT_FAIL(ctx, TFM_UNSUPPORTED, "Tensor %d: variable tensor with constant data",
                       (int)ti);
  }
  if (data.len == 0 && bytes > ctx->arena_size) {
    /* No arena this size can hold the tensor: refuse before kernels see it. */
    ctx->needed = (size_t)bytes;
    return TFM_RT_FAIL(ctx, TFM_ARENA_TOO_SMALL, "Tensor %d needs %lu bytes, arena has %lu",
                       (int)ti, (unsigned long)bytes, (unsigned long)ctx->arena_size);
  }
  if (data.len > 0) {
    if (data.len != bytes) {
      return TFM_RT_FAIL(ctx, TFM_BAD_MODEL, "Tensor %d: buffer %lu holds %lu bytes, %s %s "
                         "shape needs %lu", (int)ti, (unsigned long)buffer,
                         (unsigned long)data.len, tfm_type_name((tfm_type)type), "tensor",
                         (unsigned long)bytes);
    }
    size_t align = tfm_type_size((tfm_type)type);
    if (align > 8) align = 8;
    const uint8_t *src = ctx->model + data.pos;
    if (align > 1 && ((uintptr_t)src % align) != 0) {
      /* The TF converter aligns int16x8 int64 biases to only 4 bytes; kernels
       * read typed elements, so such data is copied once into the arena tail
       * (8-byte aligned) instead of being refused. */
      void *copy = NULL;
      TFM_TRY(tfm_arena_persistent(ctx, (size_t)bytes, &copy));
      if (((uintptr_t)copy % align) != 0) {
        return TFM_RT_FAIL(ctx, TFM_BAD_MODEL, "Tensor %d: data of buffer %lu at byte %lu is "
                           "not aligned to %u bytes", (int)ti, (unsigned long)buffer,
                           (unsigned long)data.pos, (unsigned)align);
      }
      memcpy(copy, src, (size_t)bytes);
      src = (const uint8_t *)copy;
    }
    t->data = (void *)(uintptr_t)src; /* read-only: TFM_TENSOR_CONSTANT */
    t->flags |= TFM_TENSOR_CONSTANT;
  }
  return load_quant(ctx, &tt, ti, t);
}

/* An int32 index vector whose entries must be valid tensor indices. */
static tfm_status index_vector(tfm_context *ctx, const tfm_fb_table *t, int voffset,
                               const char *what, int32_t index, const char *field,
                               int32_t num_tensors, bool allow_absent, uint32_t max_len,
                               const int32_t **out, uint32_t *len) {
  tfm_fb_vec v;
  TFM_TRY(tfm_fb_vector(ctx, t, voffset, 4, true, what, index, field, &v));
  if (v.len > max_len) {
    return TFM_RT_FAIL(ctx, TFM_UNSUPPORTED, "%s %d: %lu %s (max %lu)", what, (int)index,
                       (unsigned long)v.len, field, (unsigned long)max_len);
  }
  const int32_t *p = (const int32_t *)(const void *)(ctx->model + v.pos);
  for (uint32_t i = 0; i < v.len; ++i) {
    if (p[i] >= num_tensors || p[i] < (allow_absent ? -1 : 0)) {
      return TFM_RT_FAIL(ctx, TFM_BAD_MODEL, "%s %d: %s[%lu] = %d is not a tensor index "
                         "(%d tensors)", what, (int)index, field, (unsigned long)i, (int)p[i],
                         (int)num_tensors);
    }
  }
  *out = v.len ? p : NULL;
  *len = v.len;
  return TFM_OK;
}

static tfm_status load_node(tfm_context *ctx, const tfm_fb_vec *ops, uint16_t sg, uint32_t oi,
                            int32_t num_tensors, tfm_node *n) {
  tfm_fb_table ot, opts;
  uint32_t opcode, len;
  bool present;
  tfm_fb_vec custom;
  TFM_TRY(tfm_fb_vector_table(ctx, ops, oi, "Operator", &ot));
  TFM_TRY(tfm_fb_scalar(ctx, &ot, OP_OPCODE, 4, 0, "Operator", (int32_t)oi, &opcode));
  const char *custom_name;
  int32_t code, version;
  TFM_TRY(tfm_model_opcode(ctx, opcode, &code, &version, &custom_name));
  if (code < 0 || code > MAX_BUILTIN || version < 0 || version > MAX_VERSION) {
    return TFM_RT_FAIL(ctx, TFM_UNSUPPORTED, "Operator %lu: builtin code %ld version %ld not "
                       "supported", (unsigned long)oi, (long)code, (long)version);
  }
  n->builtin_code = (uint16_t)code;
  n->version = (uint8_t)version;
  TFM_TRY(index_vector(ctx, &ot, OP_INPUTS, "Operator", (int32_t)oi, "inputs", num_tensors, true,
                       0xffff, &n->inputs, &len));
  n->num_inputs = (uint16_t)len;
  TFM_TRY(index_vector(ctx, &ot, OP_OUTPUTS, "Operator", (int32_t)oi, "outputs", num_tensors,
                       true, 0xffff, &n->outputs, &len));
  n->num_outputs = (uint16_t)len;
  TFM_TRY(tfm_fb_subtable(ctx, &ot, OP_OPTIONS, "Operator", (int32_t)oi, "builtin_options",
                          &opts, &present));
  n->options = present ? ctx->model + opts.pos : NULL;
  TFM_TRY(tfm_fb_vector(ctx, &ot, OP_CUSTOM_OPTIONS, 1, false, "Operator", (int32_t)oi,
                        "custom_options", &custom));
  n->custom_options = custom.len ? ctx->model + custom.pos : NULL;
  n->custom_options_size = custom.len;
  n->subgraph = (uint8_t)sg;
  n->index = (uint16_t)oi;
  return TFM_OK;
}

static tfm_status load_subgraph(tfm_context *ctx, const tfm_fb_vec *sgs, uint16_t si,
                                tfm_subgraph *s) {
  tfm_fb_table st;
  tfm_fb_vec tensors, ops;
  uint32_t len;
  TFM_TRY(tfm_fb_vector_table(ctx, sgs, si, "SubGraph", &st));
  TFM_TRY(tfm_fb_vector(ctx, &st, SUBGRAPH_TENSORS, 4, true, "SubGraph", si, "tensors",
                        &tensors));
  TFM_TRY(tfm_fb_vector(ctx, &st, SUBGRAPH_OPERATORS, 4, true, "SubGraph", si, "operators",
                        &ops));
  if (tensors.len > MAX_TENSORS || ops.len > MAX_OPERATORS) {
    return TFM_RT_FAIL(ctx, TFM_UNSUPPORTED, "SubGraph %d: %lu tensors, %lu operators: too many",
                       (int)si, (unsigned long)tensors.len, (unsigned long)ops.len);
  }
  s->num_tensors = (uint16_t)tensors.len;
  s->num_nodes = (uint16_t)ops.len;
  TFM_TRY(index_vector(ctx, &st, SUBGRAPH_INPUTS, "SubGraph", si, "inputs", s->num_tensors,
                       false, 0xff, &s->inputs, &len));
  s->num_inputs = (uint8_t)len;
  TFM_TRY(index_vector(ctx, &st, SUBGRAPH_OUTPUTS, "SubGraph", si, "outputs", s->num_tensors,
                       false, 0xff, &s->outputs, &len));
  s->num_outputs = (uint8_t)len;
  TFM_TRY(tfm_arena_persistent(ctx, sizeof(tfm_tensor) * tensors.len, (void **)&s->tensors));
  TFM_TRY(tfm_arena_persistent(ctx, sizeof(tfm_node) * ops.len, (void **)&s->nodes));
  for (uint32_t i = 0; i < tensors.len; ++i) {
    TFM_TRY(load_tensor(ctx, &tensors, si, (int32_t)i, &s->tensors[i]));
  }
  for (uint32_t i = 0; i < ops.len; ++i) {
    TFM_TRY(load_node(ctx, &ops, si, i, s->num_tensors, &s->nodes[i]));
  }
  /* The model is never written: no subgraph input (filled by the app or by
   * IF/WHILE) and no op output may be a constant tensor. */
  for (uint32_t i = 0; i < s->num_inputs; ++i) {
    if (s->tensors[s->inputs[i]].flags & TFM_TENSOR_CONSTANT) {
      return TFM_RT_FAIL(ctx, TFM_BAD_MODEL, "SubGraph %d: input %lu (tensor %d) is a constant",
                         (int)si, (unsigned long)i, (int)s->inputs[i]);
    }
  }
  for (uint32_t i = 0; i < ops.len; ++i) {
    const tfm_node *n = &s->nodes[i];
    for (uint32_t k = 0; k < n->num_outputs; ++k) {
      if (n->outputs[k] >= 0 && (s->tensors[n->outputs[k]].flags & TFM_TENSOR_CONSTANT)) {
        return TFM_RT_FAIL(ctx, TFM_BAD_MODEL, "SubGraph %d op %lu: output %lu (tensor %d) is a "
                           "constant", (int)si, (unsigned long)i, (unsigned long)k,
                           (int)n->outputs[k]);
      }
    }
  }
  /* An output nothing writes would hand out uninitialised arena bytes. */
  for (uint32_t i = 0; i < s->num_outputs; ++i) {
    const int32_t t = s->outputs[i];
    bool written = (s->tensors[t].flags & (TFM_TENSOR_CONSTANT | TFM_TENSOR_VARIABLE)) != 0;
    for (uint32_t k = 0; !written && k < s->num_inputs; ++k) written = s->inputs[k] == t;
    for (uint32_t j = 0; !written && j < ops.len; ++j) {
      const tfm_node *n = &s->nodes[j];
      for (uint32_t k = 0; !written && k < n->num_outputs; ++k) written = n->outputs[k] == t;
    }
    if (!written) {
      return TFM_RT_FAIL(ctx, TFM_BAD_MODEL, "SubGraph %d: output %lu (tensor %d) is written by "
                         "no operator", (int)si, (unsigned long)i, (int)t);
    }
  }
  return TFM_OK;
}

tfm_status tfm_model_load(tfm_context *ctx) {
  tfm_fb_table model;
  tfm_fb_vec v;
  TFM_TRY(root(ctx, &model));
  TFM_TRY(tfm_fb_vector(ctx, &model, MODEL_OPCODES, 4, true, "Model", -1, "operator_codes", &v));
  ctx->opcodes_pos = v.pos;
  ctx->num_opcodes = v.len;
  TFM_TRY(tfm_fb_vector(ctx, &model, MODEL_BUFFERS, 4, true, "Model", -1, "buffers", &v));
  ctx->buffers_pos = v.pos;
  ctx->num_buffers = v.len;
  TFM_TRY(tfm_fb_vector(ctx, &model, MODEL_SUBGRAPHS, 4, true, "Model", -1, "subgraphs", &v));
  if (v.len == 0) return TFM_RT_FAIL(ctx, TFM_BAD_MODEL, "model has no subgraphs");
  if (v.len > MAX_SUBGRAPHS) {
    return TFM_RT_FAIL(ctx, TFM_UNSUPPORTED, "model has %lu subgraphs (max %d)",
                       (unsigned long)v.len, MAX_SUBGRAPHS);
  }
  ctx->subgraphs_pos = v.pos;
  ctx->num_subgraphs = (uint16_t)v.len;
  TFM_TRY(tfm_arena_persistent(ctx, sizeof(tfm_subgraph) * v.len, (void **)&ctx->subgraphs));
  for (uint32_t i = 0; i < v.len; ++i) {
    TFM_TRY(load_subgraph(ctx, &v, (uint16_t)i, &ctx->subgraphs[i]));
  }
  return TFM_OK;
}

tfm_status tfm_model_offline_offsets(tfm_context *ctx, const int32_t **offsets,
                                     int32_t *count) {
  tfm_fb_table model, mt, bt;
  tfm_fb_vec meta, data;
  *offsets = NULL;
  *count = 0;
  TFM_TRY(root(ctx, &model));
  TFM_TRY(tfm_fb_vector(ctx, &model, MODEL_METADATA, 4, true, "Model", -1, "metadata", &meta));
  for (uint32_t i = 0; i < meta.len; ++i) {
    const char *name;
    uint32_t buffer;
    TFM_TRY(tfm_fb_vector_table(ctx, &meta, i, "Metadata", &mt));
    TFM_TRY(tfm_fb_string(ctx, &mt, METADATA_NAME, "Metadata", (int32_t)i, "name", &name));
    if (name == NULL || strcmp(name, "OfflineMemoryAllocation") != 0) continue;
    TFM_TRY(tfm_fb_scalar(ctx, &mt, METADATA_BUFFER, 4, 0, "Metadata", (int32_t)i, &buffer));
    if (buffer >= ctx->num_buffers) {
      return TFM_RT_FAIL(ctx, TFM_BAD_MODEL, "Metadata %d: buffer %lu out of range", (int)i,
                         (unsigned long)buffer);
    }
    tfm_fb_vec bufs = {ctx->buffers_pos, ctx->num_buffers};
    TFM_TRY(tfm_fb_vector_table(ctx, &bufs, buffer, "Buffer", &bt));
    TFM_TRY(tfm_fb_vector(ctx, &bt, BUFFER_DATA, 1, false, "Buffer", (int32_t)buffer, "data",
                          &data));
    const uint8_t *p = ctx->model + data.pos;
    if (data.len < 12 || (data.len % 4) != 0 || ((uintptr_t)p % 4) != 0) {
      return TFM_RT_FAIL(ctx, TFM_BAD_MODEL, "OfflineMemoryAllocation: %lu bytes, not an "
                         "aligned int32 array [version, subgraph, count, offsets...]",
                         (unsigned long)data.len);
    }
    const int32_t *w = (const int32_t *)(const void *)p;
    if (w[2] < 0 || (uint32_t)w[2] > data.len / 4 - 3) {
      return TFM_RT_FAIL(ctx, TFM_BAD_MODEL, "OfflineMemoryAllocation: %d offsets in %lu bytes",
                         (int)w[2], (unsigned long)data.len);
    }
    *offsets = w + 3;
    *count = w[2];
    return TFM_OK;
  }
  return TFM_OK;
}

/* Element `index` of the SubGraph vector field at `voffset` (tensors or
 * operators) of subgraph `si`, as a table. */
static tfm_status subgraph_element(tfm_context *ctx, uint32_t si, int voffset, const char *field,
                                   uint32_t index, const char *what, tfm_fb_table *out) {
  tfm_fb_table st;
  tfm_fb_vec sgs = {ctx->subgraphs_pos, ctx->num_subgraphs}, v;
  if (si >= sgs.len) return TFM_RT_FAIL(ctx, TFM_BAD_ARGUMENT, "no subgraph %lu", (unsigned long)si);
  TFM_TRY(tfm_fb_vector_table(ctx, &sgs, si, "SubGraph", &st));
  TFM_TRY(tfm_fb_vector(ctx, &st, voffset, 4, true, "SubGraph", (int32_t)si, field, &v));
  if (index >= v.len) {
    return TFM_RT_FAIL(ctx, TFM_BAD_ARGUMENT, "SubGraph %lu has no %s %lu", (unsigned long)si,
                       field, (unsigned long)index);
  }
  return tfm_fb_vector_table(ctx, &v, index, what, out);
}

/* The kernel API's quantization reader (tfm/kernel.h): the tensor record
 * keeps only (subgraph, index), so find its Tensor table again. */
tfm_status tfm_tensor_quant(tfm_context *ctx, const tfm_tensor *t, tfm_quant *out) {
  tfm_fb_table tt, q;
  tfm_fb_vec scale, zp;
  bool present;
  uint32_t dim;
  const int32_t ti = t->index;
  memset(out, 0, sizeof *out);
  TFM_TRY(subgraph_element(ctx, t->subgraph, SUBGRAPH_TENSORS, "tensors", t->index, "Tensor",
                           &tt));
  TFM_TRY(tfm_fb_subtable(ctx, &tt, TENSOR_QUANT, "Tensor", ti, "quantization", &q, &present));
  if (!present) return TFM_OK;
  TFM_TRY(tfm_fb_vector(ctx, &q, QUANT_SCALE, 4, false, "Tensor", ti, "quantization scale",
                        &scale));
  TFM_TRY(tfm_fb_vector(ctx, &q, QUANT_ZERO_POINT, 8, false, "Tensor", ti,
                        "quantization zero_point", &zp));
  TFM_TRY(tfm_fb_scalar(ctx, &q, QUANT_DIM, 4, 0, "Tensor", ti, &dim));
  out->count = (int32_t)scale.len;
  out->quantized_dimension = (int32_t)dim;
  out->scales = scale.len ? ctx->model + scale.pos : NULL;
  out->zero_points = zp.len ? ctx->model + zp.pos : NULL;
  out->zero_point_count = (int32_t)zp.len;
  return TFM_OK;
}

tfm_status tfm_model_custom_name(tfm_context *ctx, const tfm_node *node, const char **name) {
  tfm_fb_table ot;
  uint32_t opcode;
  int32_t code, version;
  TFM_TRY(subgraph_element(ctx, node->subgraph, SUBGRAPH_OPERATORS, "operators", node->index,
                           "Operator", &ot));
  TFM_TRY(tfm_fb_scalar(ctx, &ot, OP_OPCODE, 4, 0, "Operator", node->index, &opcode));
  return tfm_model_opcode(ctx, opcode, &code, &version, name);
}

/* The kernel API's intermediates reader (tfm/kernel.h): looked up in the
 * Operator table on demand, so nodes stay small for the many ops without. */
tfm_status tfm_node_intermediate(tfm_context *ctx, const tfm_node *node, int i,
                                 tfm_tensor **out) {
  tfm_fb_table ot;
  const int32_t *indices;
  uint32_t len;
  *out = NULL;
  const int32_t num_tensors = ctx->subgraphs[node->subgraph].num_tensors;
  TFM_TRY(subgraph_element(ctx, node->subgraph, SUBGRAPH_OPERATORS, "operators", node->index,
                           "Operator", &ot));
  TFM_TRY(index_vector(ctx, &ot, OP_INTERMEDIATES, "Operator", node->index, "intermediates",
                       num_tensors, false, 0xffff, &indices, &len));
  if (i >= 0 && (uint32_t)i < len) *out = tfm_tensor_at(ctx, node->subgraph, indices[i]);
  return TFM_OK;
}

int tfm_node_callees(const tfm_node *node, int32_t callees[2]) {
  switch (node->builtin_code) {
    case CODE_IF:
    case CODE_WHILE:
      callees[0] = tfm_opt_i32(node, 4, 0);
      callees[1] = tfm_opt_i32(node, 6, 0);
      return 2;
    case CODE_CALL_ONCE:
      callees[0] = tfm_opt_i32(node, 4, 0);
      return 1;
    default:
      return 0;
  }
}
