/* sig_sqrt32/sig_sqrt64 against TFLM's bit-by-bit algorithm (written out here
 * as the reference, signal/src/square_root_{32,64}.cc): edge values, every
 * power of two and its neighbours, perfect squares and 2M pseudo-random
 * values of every magnitude. Exits 0 when all agree. */
#include <stdio.h>

#include "signal/signal_common.h"

static int msb32(uint32_t x) { return x ? 32 - __builtin_clz(x) : 32; }
static int msb64(uint64_t x) { return x ? 64 - __builtin_clzll(x) : 64; }

static uint16_t ref32(uint32_t num) {
  if (num == 0) return 0;
  uint32_t res = 0;
  int max_bit = (32 - msb32(num)) | 1;
  uint32_t bit = (uint32_t)1 << (31 - max_bit);
  for (int it = (31 - max_bit) / 2 + 1; it > 0; --it) {
    if (num >= res + bit) { num -= res + bit; res = (res >> 1) + bit; } else { res >>= 1; }
    bit >>= 2;
  }
  if (num > res && res != 0xFFFF) ++res;
  return (uint16_t)res;
}

static uint32_t ref64(uint64_t num) {
  if ((num >> 32) == 0) return ref32((uint32_t)num);
  uint64_t res = 0;
  int max_bit = (64 - msb64(num)) | 1;
  uint64_t bit = (uint64_t)1 << (63 - max_bit);
  for (int it = (63 - max_bit) / 2 + 1; it > 0; --it) {
    if (num >= res + bit) { num -= res + bit; res = (res >> 1) + bit; } else { res >>= 1; }
    bit >>= 2;
  }
  if (num > res && res != 0xFFFFFFFFu) ++res;
  return (uint32_t)res;
}

static long g_bad;
static void check(uint64_t v) {
  if (sig_sqrt64(v) != ref64(v)) {
    if (g_bad++ < 5) printf("sqrt64(%llu): %u vs %u\n", (unsigned long long)v, sig_sqrt64(v), ref64(v));
  }
  if ((v >> 32) == 0 && sig_sqrt32((uint32_t)v) != ref32((uint32_t)v)) {
    if (g_bad++ < 5) printf("sqrt32(%u)\n", (unsigned)v);
  }
}

int main(void) {
  for (uint64_t v = 0; v < 70000; ++v) check(v);
  for (int b = 0; b < 64; ++b) {
    for (int d = -3; d <= 3; ++d) check(((uint64_t)1 << b) + (uint64_t)(int64_t)d);
  }
  for (uint64_t r = 1; r < 0x100000000ull; r = r * 3 + 1) {
    check(r * r); check(r * r - 1); check(r * r + 1); check(r * r + r); check(r * r + r + 1);
  }
  check(UINT64_MAX); check(UINT64_MAX - 1); check(0xFFFFFFFFull); check(0xFFFE0001ull);
  uint64_t s = 88172645463325252ull;
  for (long i = 0; i < 2000000; ++i) {
    s ^= s << 13; s ^= s >> 7; s ^= s << 17;
    check(s >> (s & 63));
  }
  printf("%s %ld mismatches\n", g_bad ? "FAIL" : "PASS", g_bad);
  return g_bad != 0;
}
