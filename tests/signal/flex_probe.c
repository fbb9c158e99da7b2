/* FlexBuffer reader probe: prints a buffer as JSON through the public API of
 * tfm/flexbuffer.h, or "ERROR <status> <reason> @<byte>".
 *   flex_probe FILE...      (one output line per file)
 * Maps are walked by index (tfm_flex_map_key_at) and every key is looked up
 * again with tfm_flex_map_get, which must find the same value; a missing key
 * must not be found. Depth and node count are bounded (hostile buffers can
 * make cycles and diamonds). Built with ASan/UBSan by tests/signal. */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tfm/flexbuffer.h"

static tfm_flex g_fx;
static long g_nodes;
static char g_out[1 << 20];
static size_t g_len;

static void emit(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
#include <stdarg.h>
static void emit(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  if (g_len < sizeof g_out) {
    int n = vsnprintf(g_out + g_len, sizeof g_out - g_len, fmt, ap);
    if (n > 0) g_len += (size_t)n;
  }
  va_end(ap);
}

static void emit_string(const char *s, uint32_t len) {
  emit("\"");
  for (uint32_t i = 0; i < len; ++i) {
    unsigned char c = (unsigned char)s[i];
    if (c == '"' || c == '\\') emit("\\%c", c);
    else if (c < 0x20 || c >= 0x7f) emit("\\u%04x", c);
    else emit("%c", c);
  }
  emit("\"");
}

static tfm_status walk(const tfm_flex_ref *r, int depth) {
  if (depth > 16 || ++g_nodes > 20000) {
    g_fx.error = g_fx.error ? g_fx.error : "probe limit";
    return TFM_ERROR;
  }
  tfm_status st = TFM_OK;
  switch (r->type) {
    case TFM_FLEX_NULL: emit("null"); return TFM_OK;
    case TFM_FLEX_INT: case TFM_FLEX_INDIRECT_INT: {
      int64_t v;
      if ((st = tfm_flex_int64(&g_fx, r, &v)) == TFM_OK) emit("%" PRId64, v);
      return st;
    }
    case TFM_FLEX_UINT: case TFM_FLEX_INDIRECT_UINT: {
      uint64_t v;
      if ((st = tfm_flex_uint64(&g_fx, r, &v)) == TFM_OK) emit("%" PRIu64, v);
      return st;
    }
    case TFM_FLEX_BOOL: {
      bool b;
      if ((st = tfm_flex_bool(&g_fx, r, &b)) == TFM_OK) emit(b ? "true" : "false");
      return st;
    }
    case TFM_FLEX_FLOAT: case TFM_FLEX_INDIRECT_FLOAT: {
      float f;
      if ((st = tfm_flex_float(&g_fx, r, &f)) != TFM_OK) return st;
      if (isnan(f)) emit("NaN");
      else if (isinf(f)) emit(f > 0 ? "Infinity" : "-Infinity");
      else emit("%.9g", (double)f);
      return st;
    }
    case TFM_FLEX_STRING: case TFM_FLEX_KEY: {
      const char *s;
      uint32_t len;
      if ((st = tfm_flex_string(&g_fx, r, &s, &len)) == TFM_OK) emit_string(s, len);
      return st;
    }
    case TFM_FLEX_MAP: {
      uint32_t n;
      if ((st = tfm_flex_map_size(&g_fx, r, &n)) != TFM_OK) return st;
      tfm_flex_vec values;
      if ((st = tfm_flex_vector(&g_fx, r, &values)) != TFM_OK) return st;
      emit("{");
      for (uint32_t i = 0; i < n; ++i) {
        const char *key;
        tfm_flex_ref v, again;
        if ((st = tfm_flex_map_key_at(&g_fx, r, i, &key)) != TFM_OK) return st;
        if ((st = tfm_flex_vec_at(&g_fx, &values, i, &v)) != TFM_OK) return st;
        if (tfm_flex_map_get(&g_fx, r, key, &again) == TFM_OK &&
            (again.pos != v.pos || again.type != v.type)) {
          g_fx.error = "lookup found another value";
          return TFM_ERROR;
        }
        g_fx.error = NULL;  /* unsorted hostile keys may hide from the lookup: fine */
        emit("%s", i ? "," : "");
        emit_string(key, (uint32_t)strlen(key));
        emit(":");
        if ((st = walk(&v, depth + 1)) != TFM_OK) return st;
        /* the typed map getters agree with the walked value */
        if (v.type == TFM_FLEX_FLOAT) {
          float a = 0, b = 0;
          if (tfm_flex_map_float(&g_fx, r, key, &a) == TFM_OK && tfm_flex_float(&g_fx, &v, &b) == TFM_OK &&
              !(a == b || (a != a && b != b))) {
            g_fx.error = "map_float differs";
            return TFM_ERROR;
          }
        } else if (v.type == TFM_FLEX_INT || v.type == TFM_FLEX_BOOL) {
          int32_t a = 0, b = 0;
          bool ba = false, bb = false;
          if (tfm_flex_map_int32(&g_fx, r, key, &a) == TFM_OK && tfm_flex_int32(&g_fx, &v, &b) == TFM_OK &&
              a != b) {
            g_fx.error = "map_int32 differs";
            return TFM_ERROR;
          }
          if (tfm_flex_map_bool(&g_fx, r, key, &ba) == TFM_OK && tfm_flex_bool(&g_fx, &v, &bb) == TFM_OK &&
              ba != bb) {
            g_fx.error = "map_bool differs";
            return TFM_ERROR;
          }
        }
        g_fx.error = NULL;
      }
      if (tfm_flex_map_has(&g_fx, r, "\x7f" "missing")) {
        g_fx.error = "found a missing key";
        return TFM_ERROR;
      }
      emit("}");
      return TFM_OK;
    }
    default: {
      tfm_flex_vec v;
      if ((st = tfm_flex_vector(&g_fx, r, &v)) != TFM_OK) return st;
      emit("[");
      for (uint32_t i = 0; i < v.length; ++i) {
        tfm_flex_ref e;
        if ((st = tfm_flex_vec_at(&g_fx, &v, i, &e)) != TFM_OK) return st;
        emit("%s", i ? "," : "");
        if ((st = walk(&e, depth + 1)) != TFM_OK) return st;
      }
      emit("]");
      /* tfm_flex_int32_array agrees with the element walk on int vectors that fit,
       * and refuses a too small capacity. */
      if (v.length > 0 && v.length <= 64 &&
          (v.type == TFM_FLEX_VECTOR_INT || v.type == TFM_FLEX_VECTOR_UINT)) {
        int32_t all[64];
        uint32_t len = 0;
        tfm_flex saved = g_fx;
        if (tfm_flex_int32_array(&g_fx, r, all, v.length, &len) == TFM_OK) {
          for (uint32_t i = 0; i < len; ++i) {
            tfm_flex_ref e;
            int32_t one = 0;
            if (len != v.length || tfm_flex_vec_at(&g_fx, &v, i, &e) != TFM_OK ||
                tfm_flex_int32(&g_fx, &e, &one) != TFM_OK || one != all[i]) {
              g_fx.error = "int32 array differs from the elements";
              return TFM_ERROR;
            }
          }
          if (tfm_flex_int32_array(&g_fx, r, all, v.length - 1, &len) == TFM_OK) {
            g_fx.error = "int32 array overflowed its capacity";
            return TFM_ERROR;
          }
        }
        g_fx = saved;
      }
      if (v.length > 0 && tfm_flex_vec_at(&g_fx, &v, v.length, &(tfm_flex_ref){0, 0, 0, 0}) == TFM_OK) {
        g_fx.error = "index past the end accepted";
        return TFM_ERROR;
      }
      g_fx.error = NULL;
      return TFM_OK;
    }
  }
}

static int probe(const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f) return 2;
  static uint8_t file[1 << 16];
  size_t n = fread(file, 1, sizeof file, f);
  fclose(f);
  /* Exactly n bytes on the heap so ASan sees any read past the end. */
  uint8_t *buf = malloc(n ? n : 1);
  if (!buf) return 2;
  memcpy(buf, file, n);
  g_len = 0;
  g_nodes = 0;
  tfm_flex_ref root;
  tfm_status st = tfm_flex_open(&g_fx, buf, n, &root);
  if (st == TFM_OK) st = walk(&root, 0);
  if (st == TFM_OK) {
    printf("%.*s\n", (int)g_len, g_out);
  } else {
    printf("ERROR %d %s @%u\n", (int)st, g_fx.error ? g_fx.error : "?", (unsigned)g_fx.error_at);
  }
  free(buf);
  return 0;
}

int main(int argc, char **argv) {
  if (argc < 2) return 2;
  for (int i = 1; i < argc; ++i) {
    if (probe(argv[i]) != 0) return 2;
  }
  return 0;
}
