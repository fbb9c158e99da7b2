/* The kernel API (tfm/kernel.h): tensors, options, memory, errors. */
#include <string.h>

#include "fb.h"
#include "runtime.h"

const char *tfm_node_name(const tfm_node *node) {
  if (node->kernel != NULL && node->kernel->name != NULL) return node->kernel->name;
  const char *name = tfm_builtin_name(node->builtin_code);
  return name ? name : "?";
}

tfm_status tfm_rt_vfail(tfm_context *ctx, tfm_status status, bool prefix, const char *fmt,
                        va_list ap) {
  size_t n = 0;
  const tfm_node *node = ctx->current;
  if (prefix && node != NULL) {
    if (node->subgraph != 0) {
      n = (size_t)tfm_format(ctx->error, sizeof ctx->error, "subgraph %d op %d (%s): ",
                             (int)node->subgraph, (int)node->index, tfm_node_name(node));
    } else {
      n = (size_t)tfm_format(ctx->error, sizeof ctx->error, "op %d (%s): ", (int)node->index,
                             tfm_node_name(node));
    }
  }
  tfm_vformat(ctx->error + n, sizeof ctx->error - n, fmt, ap);
  return status;
}

tfm_status tfm_rt_fail(tfm_context *ctx, tfm_status status, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  tfm_rt_vfail(ctx, status, false, fmt, ap);
  va_end(ap);
  return status;
}

tfm_status tfm_fail(tfm_context *ctx, tfm_status status, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  tfm_rt_vfail(ctx, status, true, fmt, ap);
  va_end(ap);
  return status;
}

/* ---- tensors ---- */

tfm_tensor *tfm_tensor_at(tfm_context *ctx, int subgraph, int32_t index) {
  if (subgraph < 0 || subgraph >= ctx->num_subgraphs) return NULL;
  const tfm_subgraph *s = &ctx->subgraphs[subgraph];
  if (index < 0 || index >= s->num_tensors) return NULL;
  return &s->tensors[index];
}

tfm_tensor *tfm_input(tfm_context *ctx, const tfm_node *node, int i) {
  if (i < 0 || i >= node->num_inputs) return NULL;
  return tfm_tensor_at(ctx, node->subgraph, node->inputs[i]);
}

tfm_tensor *tfm_output(tfm_context *ctx, const tfm_node *node, int i) {
  if (i < 0 || i >= node->num_outputs) return NULL;
  return tfm_tensor_at(ctx, node->subgraph, node->outputs[i]);
}

/* ---- builtin options: the table was validated when the model was loaded ---- */

static const uint8_t *opt_field(const tfm_node *node, int voffset, uint32_t size) {
  const uint8_t *t = node->options;
  if (t == NULL || voffset < 4 || (voffset & 1)) return NULL;
  const uint8_t *vt = t - (int32_t)tfm_fb_u32(t);
  uint16_t vsize = tfm_fb_u16(vt), tsize = tfm_fb_u16(vt + 2);
  if ((uint32_t)voffset + 2 > vsize) return NULL;
  uint16_t fo = tfm_fb_u16(vt + voffset);
  if (fo < 4 || (uint32_t)fo + size > tsize) return NULL;
  return t + fo;
}

int32_t tfm_opt_i8(const tfm_node *node, int voffset, int32_t dflt) {
  const uint8_t *p = opt_field(node, voffset, 1);
  return p ? (int32_t)(int8_t)p[0] : dflt;
}

int32_t tfm_opt_i16(const tfm_node *node, int voffset, int32_t dflt) {
  const uint8_t *p = opt_field(node, voffset, 2);
  return p ? (int32_t)(int16_t)tfm_fb_u16(p) : dflt;
}

int32_t tfm_opt_i32(const tfm_node *node, int voffset, int32_t dflt) {
  const uint8_t *p = opt_field(node, voffset, 4);
  return p ? (int32_t)tfm_fb_u32(p) : dflt;
}

float tfm_opt_f32(const tfm_node *node, int voffset, float dflt) {
  const uint8_t *p = opt_field(node, voffset, 4);
  if (p == NULL) return dflt;
  uint32_t bits = tfm_fb_u32(p);
  float f;
  memcpy(&f, &bits, sizeof f);
  return f;
}

bool tfm_opt_bool(const tfm_node *node, int voffset, bool dflt) {
  const uint8_t *p = opt_field(node, voffset, 1);
  return p ? p[0] != 0 : dflt;
}

tfm_status tfm_opt_i32_vector(tfm_context *ctx, const tfm_node *node, int voffset,
                              const int32_t **values, int32_t *len) {
  tfm_fb_table t;
  tfm_fb_vec v;
  *values = NULL;
  *len = 0;
  if (node->options == NULL) return TFM_OK;
  TFM_TRY(tfm_fb_table_at(ctx, (uint32_t)(node->options - ctx->model), "builtin_options", -1,
                          &t));
  TFM_TRY(tfm_fb_vector(ctx, &t, voffset, 4, true, "builtin_options", -1, "vector", &v));
  if (v.len > 0x7fffffffu) return tfm_fail(ctx, TFM_BAD_MODEL, "options vector too long");
  *values = v.len ? (const int32_t *)(const void *)(ctx->model + v.pos) : NULL;
  *len = (int32_t)v.len;
  return TFM_OK;
}

/* ---- memory ---- */

tfm_status tfm_alloc_persistent(tfm_context *ctx, size_t bytes, void **out) {
  *out = NULL;
  if (ctx->state != TFM_STATE_ALLOCATING) {
    return tfm_fail(ctx, TFM_BAD_STATE, "tfm_alloc_persistent outside prepare");
  }
  return tfm_arena_persistent(ctx, bytes, out);
}

/* During prepare the head holds the scratch requests: {size, node key} pairs. */
tfm_status tfm_request_scratch(tfm_context *ctx, size_t bytes, int *index) {
  *index = -1;
  if (ctx->state != TFM_STATE_ALLOCATING || ctx->current == NULL) {
    return tfm_fail(ctx, TFM_BAD_STATE, "tfm_request_scratch outside prepare");
  }
  if (bytes > ctx->arena_size || bytes > 0x7fffff00u) {
    ctx->needed = bytes;
    return tfm_fail(ctx, TFM_ARENA_TOO_SMALL, "scratch buffer of %lu bytes exceeds the arena "
                    "(%lu bytes)", (unsigned long)bytes, (unsigned long)ctx->arena_size);
  }
  uint32_t *rec;
  TFM_TRY(tfm_arena_temp(ctx, 8, 8, (void **)&rec));
  rec[0] = (uint32_t)bytes;
  rec[1] = ((uint32_t)ctx->current->subgraph << 16) | ctx->current->index;
  *index = ctx->num_scratch++;
  return TFM_OK;
}

void *tfm_scratch(tfm_context *ctx, int index) {
  if (index < 0 || index >= ctx->num_scratch || ctx->scratch == NULL) return NULL;
  return ctx->scratch[index];
}

/* ---- subgraphs ---- */

int tfm_subgraph_count(tfm_context *ctx) { return ctx->num_subgraphs; }

int tfm_subgraph_num_inputs(tfm_context *ctx, int subgraph) {
  if (subgraph < 0 || subgraph >= ctx->num_subgraphs) return 0;
  return ctx->subgraphs[subgraph].num_inputs;
}

int tfm_subgraph_num_outputs(tfm_context *ctx, int subgraph) {
  if (subgraph < 0 || subgraph >= ctx->num_subgraphs) return 0;
  return ctx->subgraphs[subgraph].num_outputs;
}

tfm_tensor *tfm_subgraph_input(tfm_context *ctx, int subgraph, int i) {
  if (subgraph < 0 || subgraph >= ctx->num_subgraphs) return NULL;
  const tfm_subgraph *s = &ctx->subgraphs[subgraph];
  if (i < 0 || i >= s->num_inputs) return NULL;
  return &s->tensors[s->inputs[i]];
}

tfm_tensor *tfm_subgraph_output(tfm_context *ctx, int subgraph, int i) {
  if (subgraph < 0 || subgraph >= ctx->num_subgraphs) return NULL;
  const tfm_subgraph *s = &ctx->subgraphs[subgraph];
  if (i < 0 || i >= s->num_outputs) return NULL;
  return &s->tensors[s->outputs[i]];
}

uint32_t tfm_generation(const tfm_context *ctx) { return ctx->generation; }

tfm_status tfm_opt_string(tfm_context *ctx, const tfm_node *node, int voffset, const char **out) {
  tfm_fb_table t;
  *out = NULL;
  if (node->options == NULL) return TFM_OK;
  TFM_TRY(tfm_fb_table_at(ctx, (uint32_t)(node->options - ctx->model), "builtin_options", -1,
                          &t));
  return tfm_fb_string(ctx, &t, voffset, "builtin_options", -1, "string", out);
}

tfm_status tfm_check_copy(tfm_context *ctx, const tfm_tensor *dst, const tfm_tensor *src,
                          const char *what, int index) {
  if (dst == NULL || src == NULL) return tfm_fail(ctx, TFM_BAD_MODEL, "%s %d missing", what, index);
  const int32_t dst_bytes = tfm_tensor_bytes(dst), src_bytes = tfm_tensor_bytes(src);
  if (dst->type != src->type || dst_bytes != src_bytes) {
    return tfm_fail(ctx, TFM_UNSUPPORTED, "%s %d: %s of %d bytes cannot receive %s of %d bytes",
                    what, index, tfm_type_name((tfm_type)dst->type), (int)dst_bytes,
                    tfm_type_name((tfm_type)src->type), (int)src_bytes);
  }
  return TFM_OK;
}

tfm_status tfm_copy_tensor(tfm_context *ctx, tfm_tensor *dst, const tfm_tensor *src) {
  const int32_t bytes = tfm_tensor_bytes(dst), src_bytes = tfm_tensor_bytes(src);
  if (bytes != src_bytes) {
    return tfm_fail(ctx, TFM_ERROR, "copy of %d bytes into %d", (int)src_bytes, (int)bytes);
  }
  if (dst->data != src->data && bytes > 0) memmove(dst->data, src->data, (size_t)bytes);
  return TFM_OK;
}
