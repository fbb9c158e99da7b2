/* Bounds-checked FlexBuffer reader: see include/tfm/flexbuffer.h.
 *
 * Layout (FlexBuffers): the last byte is the root's width, the byte before it
 * the root's packed type (type << 2 | log2(width)), and the root value ends
 * there. Scalars are stored inline in their parent's width; everything else is
 * an unsigned offset backwards from the field. A vector's length precedes its
 * elements; an untyped vector (and a map's values) is followed by one packed
 * type byte per element; a map stores, before its values' length, the keys
 * vector's offset and width. All arithmetic is in 64 bits so no hostile width
 * or length wraps. */
#include "tfm/flexbuffer.h"

#include <string.h>

static tfm_status flex_fail(tfm_flex *fx, tfm_status st, const char *why, uint64_t at) {
  if (fx->error == NULL) {
    fx->error = why;
    fx->error_at = at > fx->size ? fx->size : (uint32_t)at;
  }
  return st;
}

static bool valid_width(uint64_t w) { return w == 1 || w == 2 || w == 4 || w == 8; }

/* Little-endian unsigned of `width` bytes at pos (checked). */
static tfm_status read_u(tfm_flex *fx, uint64_t pos, unsigned width, uint64_t *out) {
  if (!valid_width(width)) return flex_fail(fx, TFM_BAD_MODEL, "bad byte width", pos);
  if (pos > fx->size || fx->size - pos < width) {
    return flex_fail(fx, TFM_BAD_MODEL, "value runs past end of buffer", pos);
  }
  uint64_t v = 0;
  for (unsigned i = width; i-- > 0;) v = (v << 8) | fx->buf[pos + i];
  *out = v;
  return TFM_OK;
}

static int64_t sign_extend(uint64_t v, unsigned width) {
  if (width >= 8) return (int64_t)v;
  uint64_t sign = (uint64_t)1 << (8 * width - 1);
  return (int64_t)((v ^ sign) - sign);  /* two's complement without UB */
}

/* Target of the offset field at r->pos. */
static tfm_status indirect(tfm_flex *fx, const tfm_flex_ref *r, uint64_t *target) {
  uint64_t off;
  tfm_status st = read_u(fx, r->pos, r->parent_width, &off);
  if (st != TFM_OK) return st;
  if (off > r->pos) return flex_fail(fx, TFM_BAD_MODEL, "offset points before buffer", r->pos);
  *target = r->pos - off;
  return TFM_OK;
}

tfm_status tfm_flex_open(tfm_flex *fx, const uint8_t *buf, size_t size, tfm_flex_ref *root) {
  fx->buf = buf;
  fx->size = size > 0x7fffffffu ? 0 : (uint32_t)size;
  fx->error = NULL;
  fx->error_at = 0;
  if (buf == NULL || fx->size < 3) return flex_fail(fx, TFM_BAD_MODEL, "buffer too short", 0);
  unsigned width = buf[fx->size - 1];
  unsigned packed = buf[fx->size - 2];
  if (!valid_width(width) || fx->size < 2 + width) {
    return flex_fail(fx, TFM_BAD_MODEL, "bad root width", fx->size - 1);
  }
  root->pos = fx->size - 2 - width;
  root->parent_width = (uint8_t)width;
  root->byte_width = (uint8_t)(1u << (packed & 3u));
  root->type = (uint8_t)(packed >> 2);
  return TFM_OK;
}

/* ---- scalars ---------------------------------------------------------- */

static tfm_status float_bits(tfm_flex *fx, uint64_t pos, unsigned width, double *out) {
  uint64_t bits;
  if (width != 4 && width != 8) return flex_fail(fx, TFM_BAD_MODEL, "float width", pos);
  tfm_status st = read_u(fx, pos, width, &bits);
  if (st != TFM_OK) return st;
  if (width == 4) {
    uint32_t b32 = (uint32_t)bits;
    float f;
    memcpy(&f, &b32, sizeof f);
    *out = f;
  } else {
    double d;
    memcpy(&d, &bits, sizeof d);
    *out = d;
  }
  return TFM_OK;
}

/* Integer value as (negative, magnitude bits) through int64/uint64. */
static tfm_status int_value(tfm_flex *fx, const tfm_flex_ref *r, bool *is_signed, uint64_t *v) {
  uint64_t pos = r->pos;
  unsigned width = r->parent_width;
  switch (r->type) {
    case TFM_FLEX_INT: case TFM_FLEX_UINT: case TFM_FLEX_BOOL: break;
    case TFM_FLEX_INDIRECT_INT: case TFM_FLEX_INDIRECT_UINT: {
      tfm_status st = indirect(fx, r, &pos);
      if (st != TFM_OK) return st;
      width = r->byte_width;
      break;
    }
    default: return flex_fail(fx, TFM_UNSUPPORTED, "not an integer", r->pos);
  }
  tfm_status st = read_u(fx, pos, width, v);
  if (st != TFM_OK) return st;
  *is_signed = r->type == TFM_FLEX_INT || r->type == TFM_FLEX_INDIRECT_INT;
  if (*is_signed) *v = (uint64_t)sign_extend(*v, width);
  return TFM_OK;
}

tfm_status tfm_flex_int64(tfm_flex *fx, const tfm_flex_ref *r, int64_t *out) {
  bool is_signed;
  uint64_t v;
  tfm_status st = int_value(fx, r, &is_signed, &v);
  if (st != TFM_OK) return st;
  if (!is_signed && v > (uint64_t)INT64_MAX) return flex_fail(fx, TFM_BAD_MODEL, "integer out of range", r->pos);
  *out = (int64_t)v;
  return TFM_OK;
}

tfm_status tfm_flex_uint64(tfm_flex *fx, const tfm_flex_ref *r, uint64_t *out) {
  bool is_signed;
  uint64_t v;
  tfm_status st = int_value(fx, r, &is_signed, &v);
  if (st != TFM_OK) return st;
  if (is_signed && (int64_t)v < 0) return flex_fail(fx, TFM_BAD_MODEL, "negative integer", r->pos);
  *out = v;
  return TFM_OK;
}

tfm_status tfm_flex_int32(tfm_flex *fx, const tfm_flex_ref *r, int32_t *out) {
  int64_t v;
  tfm_status st = tfm_flex_int64(fx, r, &v);
  if (st != TFM_OK) return st;
  if (v < INT32_MIN || v > INT32_MAX) return flex_fail(fx, TFM_BAD_MODEL, "integer out of range", r->pos);
  *out = (int32_t)v;
  return TFM_OK;
}

tfm_status tfm_flex_float(tfm_flex *fx, const tfm_flex_ref *r, float *out) {
  double d;
  tfm_status st;
  if (r->type == TFM_FLEX_FLOAT) {
    st = float_bits(fx, r->pos, r->parent_width, &d);
  } else if (r->type == TFM_FLEX_INDIRECT_FLOAT) {
    uint64_t pos;
    st = indirect(fx, r, &pos);
    if (st == TFM_OK) st = float_bits(fx, pos, r->byte_width, &d);
  } else {
    int64_t i;
    st = tfm_flex_int64(fx, r, &i);
    d = (double)i;
  }
  if (st != TFM_OK) return st;
  *out = (float)d;
  return TFM_OK;
}

tfm_status tfm_flex_bool(tfm_flex *fx, const tfm_flex_ref *r, bool *out) {
  bool is_signed;
  uint64_t v;
  tfm_status st = int_value(fx, r, &is_signed, &v);
  if (st != TFM_OK) return st;
  *out = v != 0;
  return TFM_OK;
}

/* NUL-terminated string at pos: its length (checked against the buffer). */
static tfm_status c_string(tfm_flex *fx, uint64_t pos, uint32_t *len) {
  if (pos >= fx->size) return flex_fail(fx, TFM_BAD_MODEL, "string past end of buffer", pos);
  const void *nul = memchr(fx->buf + pos, 0, fx->size - pos);
  if (nul == NULL) return flex_fail(fx, TFM_BAD_MODEL, "string not terminated", pos);
  *len = (uint32_t)((const uint8_t *)nul - (fx->buf + pos));
  return TFM_OK;
}

tfm_status tfm_flex_string(tfm_flex *fx, const tfm_flex_ref *r, const char **s, uint32_t *len) {
  uint64_t target, n;
  if (r->type != TFM_FLEX_STRING && r->type != TFM_FLEX_KEY) {
    return flex_fail(fx, TFM_UNSUPPORTED, "not a string", r->pos);
  }
  tfm_status st = indirect(fx, r, &target);
  if (st != TFM_OK) return st;
  uint32_t found;
  st = c_string(fx, target, &found);
  if (st != TFM_OK) return st;
  if (r->type == TFM_FLEX_STRING) {
    if (target < r->byte_width) return flex_fail(fx, TFM_BAD_MODEL, "string length before buffer", target);
    st = read_u(fx, target - r->byte_width, r->byte_width, &n);
    if (st != TFM_OK) return st;
    if (n != found) return flex_fail(fx, TFM_BAD_MODEL, "string length mismatch", target);
  }
  *s = (const char *)(fx->buf + target);
  *len = found;
  return TFM_OK;
}

/* ---- vectors ---------------------------------------------------------- */

static bool is_typed_vector(unsigned t) {
  return (t >= TFM_FLEX_VECTOR_INT && t <= TFM_FLEX_VECTOR_STRING_DEPRECATED) ||
         t == TFM_FLEX_VECTOR_BOOL;
}

static bool is_fixed_vector(unsigned t) {
  return t >= TFM_FLEX_VECTOR_INT2 && t <= TFM_FLEX_VECTOR_FLOAT4;
}

tfm_status tfm_flex_vector(tfm_flex *fx, const tfm_flex_ref *r, tfm_flex_vec *out) {
  unsigned t = r->type;
  if (t != TFM_FLEX_VECTOR && t != TFM_FLEX_MAP && !is_typed_vector(t) && !is_fixed_vector(t)) {
    return flex_fail(fx, TFM_UNSUPPORTED, "not a vector", r->pos);
  }
  uint64_t target, len;
  tfm_status st = indirect(fx, r, &target);
  if (st != TFM_OK) return st;
  unsigned w = r->byte_width;
  if (!valid_width(w)) return flex_fail(fx, TFM_BAD_MODEL, "bad byte width", r->pos);
  if (is_fixed_vector(t)) {
    len = (t - TFM_FLEX_VECTOR_INT2) / 3 + 2;
  } else {
    if (target < w) return flex_fail(fx, TFM_BAD_MODEL, "vector length before buffer", target);
    st = read_u(fx, target - w, w, &len);
    if (st != TFM_OK) return st;
  }
  uint64_t per = (t == TFM_FLEX_VECTOR || t == TFM_FLEX_MAP) ? (uint64_t)w + 1u : w;
  if (len > fx->size || target + len * per > fx->size) {
    return flex_fail(fx, TFM_BAD_MODEL, "vector runs past end of buffer", target);
  }
  out->pos = (uint32_t)target;
  out->length = (uint32_t)len;
  out->width = (uint8_t)w;
  out->type = (uint8_t)(t == TFM_FLEX_MAP ? TFM_FLEX_VECTOR : t);
  return TFM_OK;
}

tfm_status tfm_flex_vec_at(tfm_flex *fx, const tfm_flex_vec *v, uint32_t i, tfm_flex_ref *out) {
  if (i >= v->length) return flex_fail(fx, TFM_BAD_MODEL, "vector index out of range", v->pos);
  out->pos = v->pos + i * (uint32_t)v->width;   /* in range: checked by tfm_flex_vector */
  out->parent_width = v->width;
  if (v->type == TFM_FLEX_VECTOR) {
    unsigned packed = fx->buf[v->pos + v->length * (uint32_t)v->width + i];
    out->byte_width = (uint8_t)(1u << (packed & 3u));
    out->type = (uint8_t)(packed >> 2);
  } else if (is_fixed_vector(v->type)) {
    out->byte_width = 1;
    out->type = (uint8_t)((v->type - TFM_FLEX_VECTOR_INT2) % 3 + TFM_FLEX_INT);
  } else {
    out->byte_width = 1;
    out->type = (uint8_t)(v->type == TFM_FLEX_VECTOR_BOOL ? TFM_FLEX_BOOL
                          : v->type - TFM_FLEX_VECTOR_INT + TFM_FLEX_INT);
  }
  return TFM_OK;
}

tfm_status tfm_flex_int32_array(tfm_flex *fx, const tfm_flex_ref *r, int32_t *out,
                                uint32_t capacity, uint32_t *len) {
  tfm_flex_vec v;
  tfm_status st = tfm_flex_vector(fx, r, &v);
  if (st != TFM_OK) return st;
  if (v.length > capacity) return flex_fail(fx, TFM_BAD_MODEL, "vector too long", v.pos);
  for (uint32_t i = 0; i < v.length; ++i) {
    tfm_flex_ref e;
    st = tfm_flex_vec_at(fx, &v, i, &e);
    if (st == TFM_OK) st = tfm_flex_int32(fx, &e, &out[i]);
    if (st != TFM_OK) return st;
  }
  *len = v.length;
  return TFM_OK;
}

/* ---- maps ------------------------------------------------------------- */

typedef struct map_view {
  tfm_flex_vec values;
  uint32_t keys_pos;
  uint8_t keys_width;
} map_view;

static tfm_status map_view_of(tfm_flex *fx, const tfm_flex_ref *map, map_view *m) {
  if (map->type != TFM_FLEX_MAP) return flex_fail(fx, TFM_UNSUPPORTED, "not a map", map->pos);
  tfm_status st = tfm_flex_vector(fx, map, &m->values);
  if (st != TFM_OK) return st;
  uint64_t w = m->values.width, kw, koff, klen;
  if (m->values.pos < 3 * w) return flex_fail(fx, TFM_BAD_MODEL, "map keys before buffer", m->values.pos);
  uint64_t field = m->values.pos - 3 * w;
  st = read_u(fx, field, (unsigned)w, &koff);
  if (st == TFM_OK) st = read_u(fx, field + w, (unsigned)w, &kw);
  if (st != TFM_OK) return st;
  if (!valid_width(kw)) return flex_fail(fx, TFM_BAD_MODEL, "bad map keys width", field + w);
  if (koff > field) return flex_fail(fx, TFM_BAD_MODEL, "map keys offset points before buffer", field);
  uint64_t keys = field - koff;
  if (keys < kw) return flex_fail(fx, TFM_BAD_MODEL, "map keys length before buffer", keys);
  st = read_u(fx, keys - kw, (unsigned)kw, &klen);
  if (st != TFM_OK) return st;
  if (klen != m->values.length) return flex_fail(fx, TFM_BAD_MODEL, "map keys and values differ in length", keys);
  if (keys + klen * kw > fx->size) return flex_fail(fx, TFM_BAD_MODEL, "map keys run past end of buffer", keys);
  m->keys_pos = (uint32_t)keys;
  m->keys_width = (uint8_t)kw;
  return TFM_OK;
}

static tfm_status map_key(tfm_flex *fx, const map_view *m, uint32_t i, const char **key) {
  tfm_flex_ref k = {m->keys_pos + i * (uint32_t)m->keys_width, m->keys_width, 1, TFM_FLEX_KEY};
  uint32_t len;
  return tfm_flex_string(fx, &k, key, &len);
}

tfm_status tfm_flex_map_size(tfm_flex *fx, const tfm_flex_ref *map, uint32_t *size) {
  map_view m;
  tfm_status st = map_view_of(fx, map, &m);
  if (st == TFM_OK) *size = m.values.length;
  return st;
}

tfm_status tfm_flex_map_key_at(tfm_flex *fx, const tfm_flex_ref *map, uint32_t i,
                               const char **key) {
  map_view m;
  tfm_status st = map_view_of(fx, map, &m);
  if (st != TFM_OK) return st;
  if (i >= m.values.length) return flex_fail(fx, TFM_BAD_MODEL, "map index out of range", m.keys_pos);
  return map_key(fx, &m, i, key);
}

/* Binary search over the sorted keys; *found = false when absent. */
static tfm_status map_find(tfm_flex *fx, const tfm_flex_ref *map, const char *key,
                           tfm_flex_ref *out, bool *found) {
  map_view m;
  *found = false;
  tfm_status st = map_view_of(fx, map, &m);
  if (st != TFM_OK) return st;
  uint32_t lo = 0, hi = m.values.length;
  while (lo < hi) {
    uint32_t mid = lo + (hi - lo) / 2;
    const char *k;
    st = map_key(fx, &m, mid, &k);
    if (st != TFM_OK) return st;
    int c = strcmp(key, k);     /* k is NUL-terminated inside the buffer (checked) */
    if (c == 0) {
      *found = true;
      return tfm_flex_vec_at(fx, &m.values, mid, out);
    }
    if (c < 0) hi = mid; else lo = mid + 1;
  }
  return TFM_OK;
}

tfm_status tfm_flex_map_get(tfm_flex *fx, const tfm_flex_ref *map, const char *key,
                            tfm_flex_ref *out) {
  bool found;
  tfm_status st = map_find(fx, map, key, out, &found);
  if (st != TFM_OK) return st;
  return found ? TFM_OK : flex_fail(fx, TFM_BAD_MODEL, "key not found", map->pos);
}

bool tfm_flex_map_has(tfm_flex *fx, const tfm_flex_ref *map, const char *key) {
  tfm_flex_ref r;
  bool found;
  return map_find(fx, map, key, &r, &found) == TFM_OK && found;
}

tfm_status tfm_flex_map_int32(tfm_flex *fx, const tfm_flex_ref *map, const char *key,
                              int32_t *out) {
  tfm_flex_ref r;
  tfm_status st = tfm_flex_map_get(fx, map, key, &r);
  return st != TFM_OK ? st : tfm_flex_int32(fx, &r, out);
}

tfm_status tfm_flex_map_float(tfm_flex *fx, const tfm_flex_ref *map, const char *key,
                              float *out) {
  tfm_flex_ref r;
  tfm_status st = tfm_flex_map_get(fx, map, key, &r);
  return st != TFM_OK ? st : tfm_flex_float(fx, &r, out);
}

tfm_status tfm_flex_map_bool(tfm_flex *fx, const tfm_flex_ref *map, const char *key,
                             bool *out) {
  tfm_flex_ref r;
  tfm_status st = tfm_flex_map_get(fx, map, key, &r);
  return st != TFM_OK ? st : tfm_flex_bool(fx, &r, out);
}
