/* Tiny line builder for ports (fault reports): no libc, no stdio.
 *
 * The caller owns the buffer; appends are truncated at its end so a report
 * is always one whole line written by a single tfm_port_write call. */
#ifndef TFM_PORT_HEXFMT_H
#define TFM_PORT_HEXFMT_H

#include <stddef.h>
#include <stdint.h>

typedef struct tfm_line {
  char *buf;
  size_t cap;
  size_t len;
} tfm_line;

static inline void tfm_line_str(tfm_line *l, const char *s) {
  while (*s != '\0' && l->len < l->cap) l->buf[l->len++] = *s++;
}

/* Appends " <name>=0x<8 hex digits>". */
static inline void tfm_line_hex(tfm_line *l, const char *name, uint32_t v) {
  static const char digits[] = "0123456789abcdef";
  tfm_line_str(l, " ");
  tfm_line_str(l, name);
  tfm_line_str(l, "=0x");
  for (int shift = 28; shift >= 0 && l->len < l->cap; shift -= 4) {
    l->buf[l->len++] = digits[(v >> shift) & 0xFu];
  }
}

#endif /* TFM_PORT_HEXFMT_H */
