#include "fb.h"

#include "runtime.h"

static tfm_status bad(tfm_context *ctx, const char *what, int32_t index, const char *field,
                      uint32_t pos, const char *problem) {
  (void)what, (void)field, (void)pos, (void)problem; /* unused with TFM_NO_MESSAGES */
  if (index >= 0) {
    return TFM_RT_FAIL(ctx, TFM_BAD_MODEL, "%s %d: %s at byte %lu %s (%lu bytes)", what,
                       (int)index, field, (unsigned long)pos, problem,
                       (unsigned long)ctx->model_size);
  }
  return TFM_RT_FAIL(ctx, TFM_BAD_MODEL, "%s: %s at byte %lu %s (%lu bytes)", what, field,
                     (unsigned long)pos, problem, (unsigned long)ctx->model_size);
}

static const char kPastEnd[] = "runs past end of model";

tfm_status tfm_fb_table_at(tfm_context *ctx, uint32_t pos, const char *what, int32_t index,
                           tfm_fb_table *out) {
  const uint8_t *b = ctx->model;
  uint32_t size = ctx->model_size;
  if (pos >= size || size - pos < 4) return bad(ctx, what, index, "table", pos, kPastEnd);
  int64_t vt = (int64_t)pos - (int64_t)(int32_t)tfm_fb_u32(b + pos);
  if (vt < 0 || vt > (int64_t)size - 4 || (vt & 1)) {
    return bad(ctx, what, index, "vtable", pos, "points outside the model");
  }
  uint16_t vsize = tfm_fb_u16(b + vt);
  uint16_t tsize = tfm_fb_u16(b + vt + 2);
  if (vsize < 4 || (vsize & 1) || (uint32_t)vt + vsize > size) {
    return bad(ctx, what, index, "vtable", (uint32_t)vt, "has a bad size");
  }
  if (tsize < 4 || tsize > size - pos) {
    return bad(ctx, what, index, "table", pos, kPastEnd);
  }
  out->pos = pos;
  out->vtable = (uint32_t)vt;
  out->vsize = vsize;
  out->tsize = tsize;
  return TFM_OK;
}

tfm_status tfm_fb_field(tfm_context *ctx, const tfm_fb_table *t, int voffset, uint32_t size,
                        const char *what, int32_t index, uint32_t *pos) {
  *pos = 0;
  if (voffset < 4 || (uint32_t)voffset + 2 > t->vsize) return TFM_OK;
  uint16_t fo = tfm_fb_u16(ctx->model + t->vtable + voffset);
  if (fo == 0) return TFM_OK;
  if (fo < 4 || (uint32_t)fo + size > t->tsize) {
    return bad(ctx, what, index, "field", t->pos + fo, "lies outside its table");
  }
  *pos = t->pos + fo;
  return TFM_OK;
}

tfm_status tfm_fb_scalar(tfm_context *ctx, const tfm_fb_table *t, int voffset, uint32_t size,
                         uint32_t dflt, const char *what, int32_t index, uint32_t *value) {
  uint32_t pos;
  TFM_TRY(tfm_fb_field(ctx, t, voffset, size, what, index, &pos));
  if (pos == 0) {
    *value = dflt;
  } else if (size == 1) {
    *value = ctx->model[pos];
  } else if (size == 2) {
    *value = tfm_fb_u16(ctx->model + pos);
  } else {
    *value = tfm_fb_u32(ctx->model + pos);
  }
  return TFM_OK;
}

/* Follow the uoffset stored in field `voffset`; *target = 0 when absent. */
static tfm_status follow(tfm_context *ctx, const tfm_fb_table *t, int voffset, const char *what,
                         int32_t index, const char *field, uint32_t *target) {
  uint32_t pos;
  TFM_TRY(tfm_fb_field(ctx, t, voffset, 4, what, index, &pos));
  *target = 0;
  if (pos == 0) return TFM_OK;
  uint64_t to = (uint64_t)pos + tfm_fb_u32(ctx->model + pos);
  if (to >= ctx->model_size) return bad(ctx, what, index, field, pos, "points past end of model");
  *target = (uint32_t)to;
  return TFM_OK;
}

tfm_status tfm_fb_subtable(tfm_context *ctx, const tfm_fb_table *t, int voffset,
                           const char *what, int32_t index, const char *field,
                           tfm_fb_table *out, bool *present) {
  uint32_t to;
  TFM_TRY(follow(ctx, t, voffset, what, index, field, &to));
  *present = to != 0;
  if (to == 0) return TFM_OK;
  return tfm_fb_table_at(ctx, to, what, index, out);
}

static tfm_status vector_at(tfm_context *ctx, uint32_t to, uint32_t elem_size, bool aligned,
                            const char *what, int32_t index, const char *field,
                            tfm_fb_vec *out) {
  uint32_t size = ctx->model_size;
  if (size - to < 4) return bad(ctx, what, index, field, to, kPastEnd);
  uint32_t len = tfm_fb_u32(ctx->model + to);
  if ((uint64_t)len * elem_size > (uint64_t)(size - to - 4)) {
    return bad(ctx, what, index, field, to, kPastEnd);
  }
  uint32_t align = elem_size < 4 ? elem_size : 4;
  if (aligned && align > 1 && ((to + 4) % align) != 0) {
    return bad(ctx, what, index, field, to, "is misaligned");
  }
  out->pos = to + 4;
  out->len = len;
  return TFM_OK;
}

tfm_status tfm_fb_vector(tfm_context *ctx, const tfm_fb_table *t, int voffset,
                         uint32_t elem_size, bool aligned, const char *what, int32_t index,
                         const char *field, tfm_fb_vec *out) {
  uint32_t to;
  out->pos = 0;
  out->len = 0;
  TFM_TRY(follow(ctx, t, voffset, what, index, field, &to));
  if (to == 0) return TFM_OK;
  return vector_at(ctx, to, elem_size, aligned, what, index, field, out);
}

tfm_status tfm_fb_vector_table(tfm_context *ctx, const tfm_fb_vec *v, uint32_t i,
                               const char *what, tfm_fb_table *out) {
  /* The caller checked i < len, so the element lies inside the buffer. */
  uint32_t pos = v->pos + 4 * i;
  uint64_t to = (uint64_t)pos + tfm_fb_u32(ctx->model + pos);
  if (to >= ctx->model_size) return bad(ctx, what, (int32_t)i, "offset", pos, kPastEnd);
  return tfm_fb_table_at(ctx, (uint32_t)to, what, (int32_t)i, out);
}

tfm_status tfm_fb_string(tfm_context *ctx, const tfm_fb_table *t, int voffset, const char *what,
                         int32_t index, const char *field, const char **out) {
  uint32_t to;
  tfm_fb_vec v;
  *out = NULL;
  TFM_TRY(follow(ctx, t, voffset, what, index, field, &to));
  if (to == 0) return TFM_OK;
  TFM_TRY(vector_at(ctx, to, 1, false, what, index, field, &v));
  if (v.pos + v.len >= ctx->model_size || ctx->model[v.pos + v.len] != 0) {
    return bad(ctx, what, index, field, to, "is not NUL-terminated");
  }
  *out = (const char *)ctx->model + v.pos;
  return TFM_OK;
}
