/* Bounds-checked FlexBuffer reader (custom-op options, e.g. TFLM's Signal
 * ops and DETECTION_POSTPROCESS).
 *
 * The buffer is read in place (it lives in the model) and never written.
 * Every offset, width, length and type is checked against the buffer before
 * use; reads are byte loads (no alignment needed). A failure returns
 * TFM_BAD_MODEL (TFM_UNSUPPORTED for a well-formed value of another type)
 * and records a short reason and the byte offset in the tfm_flex.
 *
 * Usage (options are a map, as TensorFlow's custom ops write them):
 *   tfm_flex fx; tfm_flex_ref root;
 *   TFM_TRY(tfm_flex_open(&fx, node->custom_options, node->custom_options_size, &root));
 *   int32_t shift;
 *   if (tfm_flex_map_int32(&fx, &root, "shift", &shift) != TFM_OK) -> fx.error, fx.error_at
 */
#ifndef TFM_FLEXBUFFER_H
#define TFM_FLEXBUFFER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tfm/status.h"

/* FlexBuffer value types (flexbuffers.h numbering). */
typedef enum tfm_flex_type {
  TFM_FLEX_NULL = 0,
  TFM_FLEX_INT = 1,
  TFM_FLEX_UINT = 2,
  TFM_FLEX_FLOAT = 3,
  TFM_FLEX_KEY = 4,
  TFM_FLEX_STRING = 5,
  TFM_FLEX_INDIRECT_INT = 6,
  TFM_FLEX_INDIRECT_UINT = 7,
  TFM_FLEX_INDIRECT_FLOAT = 8,
  TFM_FLEX_MAP = 9,
  TFM_FLEX_VECTOR = 10,
  TFM_FLEX_VECTOR_INT = 11,
  TFM_FLEX_VECTOR_UINT = 12,
  TFM_FLEX_VECTOR_FLOAT = 13,
  TFM_FLEX_VECTOR_KEY = 14,
  TFM_FLEX_VECTOR_STRING_DEPRECATED = 15,
  TFM_FLEX_VECTOR_INT2 = 16, /* fixed-length typed vectors: 2, 3, 4 elements */
  TFM_FLEX_VECTOR_FLOAT4 = 24,
  TFM_FLEX_BLOB = 25,
  TFM_FLEX_BOOL = 26,
  TFM_FLEX_VECTOR_BOOL = 36
} tfm_flex_type;

/* A buffer being read, and the first error met. */
typedef struct tfm_flex {
  const uint8_t *buf;
  uint32_t size;
  const char *error;   /* static text, NULL when no error */
  uint32_t error_at;   /* byte offset in the buffer */
} tfm_flex;

/* A value: where it is stored and how to interpret it. */
typedef struct tfm_flex_ref {
  uint32_t pos;        /* offset of the value (or of its offset field) */
  uint8_t parent_width; /* bytes of the field at pos: 1, 2, 4, 8 */
  uint8_t byte_width;  /* element width of the target (offset types) */
  uint8_t type;        /* tfm_flex_type */
} tfm_flex_ref;

/* A vector (also a map's values): elements of `width` bytes at `pos`. */
typedef struct tfm_flex_vec {
  uint32_t pos;
  uint32_t length;
  uint8_t width;
  uint8_t type;        /* TFM_FLEX_VECTOR (per-element types follow) or a typed vector */
} tfm_flex_vec;

/* The root value of buf[0..size). */
tfm_status tfm_flex_open(tfm_flex *fx, const uint8_t *buf, size_t size, tfm_flex_ref *root);

/* Typed scalars. Integers accept INT, UINT, BOOL and their indirect forms and
 * fail when the value does not fit; floats accept FLOAT, INDIRECT_FLOAT and
 * integers. */
tfm_status tfm_flex_int64(tfm_flex *fx, const tfm_flex_ref *r, int64_t *out);
tfm_status tfm_flex_uint64(tfm_flex *fx, const tfm_flex_ref *r, uint64_t *out);
tfm_status tfm_flex_int32(tfm_flex *fx, const tfm_flex_ref *r, int32_t *out);
tfm_status tfm_flex_float(tfm_flex *fx, const tfm_flex_ref *r, float *out);
tfm_status tfm_flex_bool(tfm_flex *fx, const tfm_flex_ref *r, bool *out);
/* STRING or KEY: pointer into the buffer (NUL-terminated, checked), length. */
tfm_status tfm_flex_string(tfm_flex *fx, const tfm_flex_ref *r, const char **s, uint32_t *len);

/* Vectors (untyped, typed, fixed-length typed, and a map's values). */
tfm_status tfm_flex_vector(tfm_flex *fx, const tfm_flex_ref *r, tfm_flex_vec *out);
tfm_status tfm_flex_vec_at(tfm_flex *fx, const tfm_flex_vec *v, uint32_t i, tfm_flex_ref *out);
/* Whole int vector into out[0..capacity); *len = its length (fails if > capacity). */
tfm_status tfm_flex_int32_array(tfm_flex *fx, const tfm_flex_ref *r, int32_t *out,
                                uint32_t capacity, uint32_t *len);

/* Maps: size, key i (sorted order), value by key (binary search over the
 * sorted keys). tfm_flex_map_get fails with error "key not found". */
tfm_status tfm_flex_map_size(tfm_flex *fx, const tfm_flex_ref *map, uint32_t *size);
tfm_status tfm_flex_map_key_at(tfm_flex *fx, const tfm_flex_ref *map, uint32_t i,
                               const char **key);
tfm_status tfm_flex_map_get(tfm_flex *fx, const tfm_flex_ref *map, const char *key,
                            tfm_flex_ref *out);
/* True when the map has `key` (no error recorded when it has not). */
bool tfm_flex_map_has(tfm_flex *fx, const tfm_flex_ref *map, const char *key);

/* map[key] as a typed scalar. */
tfm_status tfm_flex_map_int32(tfm_flex *fx, const tfm_flex_ref *map, const char *key,
                              int32_t *out);
tfm_status tfm_flex_map_float(tfm_flex *fx, const tfm_flex_ref *map, const char *key,
                              float *out);
tfm_status tfm_flex_map_bool(tfm_flex *fx, const tfm_flex_ref *map, const char *key,
                             bool *out);

#endif /* TFM_FLEXBUFFER_H */
