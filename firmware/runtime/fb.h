/* Bounds-checked reading of a FlatBuffer held in (possibly read-only) memory.
 *
 * No flatbuffers library: each accessor checks every offset, vtable, vector
 * length and string terminator against the buffer before use, and reports a
 * failure as TFM_BAD_MODEL with a message naming the table, the field and the
 * byte offset. All multi-byte values are little endian; reads go through byte
 * loads so an unaligned or hostile buffer never causes an unaligned access.
 *
 * A table is identified by its byte position in the buffer; `what` names it
 * in messages ("Tensor 5", "Operator 2 of subgraph 0"). */
#ifndef TFM_RUNTIME_FB_H
#define TFM_RUNTIME_FB_H

#include <stdbool.h>
#include <stdint.h>

#include "tfm/interpreter.h"

typedef struct tfm_fb_table {
  uint32_t pos;     /* byte position of the table in the buffer */
  uint32_t vtable;  /* byte position of its vtable */
  uint16_t vsize;   /* vtable size in bytes */
  uint16_t tsize;   /* inline table size in bytes */
} tfm_fb_table;

typedef struct tfm_fb_vec {
  uint32_t pos;     /* byte position of the first element (after the length) */
  uint32_t len;     /* element count; 0 when absent */
} tfm_fb_vec;

static inline uint32_t tfm_fb_u32(const uint8_t *p) {
  return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) |
         ((uint32_t)p[3] << 24);
}
static inline uint16_t tfm_fb_u16(const uint8_t *p) {
  return (uint16_t)(p[0] | (p[1] << 8));
}

/* Validate the table at `pos` (its vtable and inline size). */
tfm_status tfm_fb_table_at(tfm_context *ctx, uint32_t pos, const char *what, int32_t index,
                           tfm_fb_table *out);
/* Byte position of field `voffset` within the buffer, 0 if absent.
 * Checks that `size` bytes of the field lie inside the table. */
tfm_status tfm_fb_field(tfm_context *ctx, const tfm_fb_table *t, int voffset, uint32_t size,
                        const char *what, int32_t index, uint32_t *pos);
/* Scalar fields (little endian), `dflt` when absent. */
tfm_status tfm_fb_scalar(tfm_context *ctx, const tfm_fb_table *t, int voffset, uint32_t size,
                         uint32_t dflt, const char *what, int32_t index, uint32_t *value);
/* Sub-table field; *present = false when absent. */
tfm_status tfm_fb_subtable(tfm_context *ctx, const tfm_fb_table *t, int voffset,
                           const char *what, int32_t index, const char *field,
                           tfm_fb_table *out, bool *present);
/* Vector field of elements of `elem_size` bytes (aligned to min(elem_size,4)
 * when `aligned`); len 0 when absent. */
tfm_status tfm_fb_vector(tfm_context *ctx, const tfm_fb_table *t, int voffset,
                         uint32_t elem_size, bool aligned, const char *what, int32_t index,
                         const char *field, tfm_fb_vec *out);
/* Table element i of a vector of tables. */
tfm_status tfm_fb_vector_table(tfm_context *ctx, const tfm_fb_vec *v, uint32_t i,
                               const char *what, tfm_fb_table *out);
/* String field: NUL-terminated inside the buffer; NULL when absent. */
tfm_status tfm_fb_string(tfm_context *ctx, const tfm_fb_table *t, int voffset, const char *what,
                         int32_t index, const char *field, const char **out);

#endif /* TFM_RUNTIME_FB_H */
