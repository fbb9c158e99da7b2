/* A tiny printf subset for one-line messages: no libc stdio on targets. */
#include <stdbool.h>

#include "runtime.h"

typedef struct out {
  char *buf;
  size_t size;
  size_t len;
} out;

static void put(out *o, char c) {
  if (o->len + 1 < o->size) o->buf[o->len] = c;
  o->len++;
}

static void put_str(out *o, const char *s) {
  if (s == NULL) s = "(null)";
  while (*s) put(o, *s++);
}

static void put_uint(out *o, unsigned long v, unsigned base, int width, char pad) {
  char digits[24];
  int n = 0;
  do {
    unsigned d = (unsigned)(v % base);
    digits[n++] = (char)(d < 10 ? '0' + d : 'a' + d - 10);
    v /= base;
  } while (v != 0);
  while (width-- > n) put(o, pad);
  while (n > 0) put(o, digits[--n]);
}

static void put_float(out *o, double v) {
  if (v != v) {
    put_str(o, "nan");
    return;
  }
  if (v < 0) {
    put(o, '-');
    v = -v;
  }
  if (v > 4294967295.0) {
    put_str(o, "inf");
    return;
  }
  unsigned long ip = (unsigned long)v;
  unsigned long frac = (unsigned long)((v - (double)ip) * 1000000.0 + 0.5);
  if (frac >= 1000000ul) {
    ip++;
    frac -= 1000000ul;
  }
  put_uint(o, ip, 10, 0, ' ');
  put(o, '.');
  put_uint(o, frac, 10, 6, '0');
}

int tfm_vformat(char *buf, size_t size, const char *fmt, va_list ap) {
  out o = {buf, size, 0};
  for (const char *p = fmt; *p; ++p) {
    if (*p != '%') {
      put(&o, *p);
      continue;
    }
    ++p;
    char pad = ' ';
    int width = 0;
    bool is_long = false;
    if (*p == '0') {
      pad = '0';
      ++p;
    }
    while (*p >= '0' && *p <= '9') width = width * 10 + (*p++ - '0');
    if (*p == 'l') {
      is_long = true;
      ++p;
    }
    switch (*p) {
      case 'd':
      case 'i': {
        long v = is_long ? va_arg(ap, long) : (long)va_arg(ap, int);
        unsigned long m = (unsigned long)v;
        if (v < 0) {
          put(&o, '-');
          m = 0ul - m;
          if (width > 0) width--;
        }
        put_uint(&o, m, 10, width, pad);
        break;
      }
      case 'u':
      case 'x': {
        unsigned long v = is_long ? va_arg(ap, unsigned long) : va_arg(ap, unsigned);
        put_uint(&o, v, *p == 'x' ? 16u : 10u, width, pad);
        break;
      }
      case 's':
        put_str(&o, va_arg(ap, const char *));
        break;
      case 'c':
        put(&o, (char)va_arg(ap, int));
        break;
      case 'f':
        put_float(&o, va_arg(ap, double));
        break;
      case '%':
        put(&o, '%');
        break;
      case '\0':
        --p; /* dangling '%' at the end */
        break;
      default:
        put(&o, '%');
        put(&o, *p);
        break;
    }
  }
  if (size > 0) buf[o.len < size ? o.len : size - 1] = '\0';
  return (int)(o.len < size ? o.len : (size ? size - 1 : 0));
}

int tfm_format(char *buf, size_t size, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int n = tfm_vformat(buf, size, fmt, ap);
  va_end(ap);
  return n;
}
