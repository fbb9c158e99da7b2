/* Deterministic malformed-model sweep (built with ASan/UBSan):
 *   mutate MODEL.tflite FLIPS SEED
 * runs every truncation of the model, then FLIPS seeded random byte flips
 * (1-4 bytes each), then a few hostile offsets, through tfm_fuzz_one()
 * (tests/fuzz/fuzz_model.c). Prints counts per status; any memory error
 * or silent failure aborts the process. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tfm/status.h"

int tfm_fuzz_one(const uint8_t *data, size_t size);

static uint32_t g_state;
static uint32_t next(void) {
  g_state ^= g_state << 13;
  g_state ^= g_state >> 17;
  g_state ^= g_state << 5;
  return g_state;
}

int main(int argc, char **argv) {
  if (argc != 4) return 2;
  FILE *f = fopen(argv[1], "rb");
  if (f == NULL) return 2;
  static uint8_t model[1 << 20], work[1 << 20];
  size_t n = fread(model, 1, sizeof model, f);
  fclose(f);
  long flips = atol(argv[2]);
  g_state = (uint32_t)atol(argv[3]) | 1u;
  long counts[8] = {0};
  for (size_t len = 0; len < n; ++len) {  /* every truncation */
    memcpy(work, model, len);
    int st = tfm_fuzz_one(work, len);
    if (st == TFM_OK) {
      fprintf(stderr, "truncation to %zu bytes passed\n", len);
      return 1;
    }
    counts[st & 7]++;
  }
  for (long i = 0; i < flips; ++i) {  /* random byte flips */
    memcpy(work, model, n);
    int k = 1 + (int)(next() % 4);
    for (int j = 0; j < k; ++j) work[next() % n] ^= (uint8_t)(1u + next() % 255u);
    counts[tfm_fuzz_one(work, n) & 7]++;
  }
  /* hostile 32-bit words (offsets, lengths, indices) at every aligned position */
  static const uint32_t hostile[] = {0xffffffffu, 0x7fffffffu, 0x80000000u, 0xfffffffcu};
  for (size_t pos = 0; pos + 4 <= n; pos += 4) {
    memcpy(work, model, n);
    uint32_t v = hostile[(pos / 4) % 4];
    memcpy(work + pos, &v, 4);
    counts[tfm_fuzz_one(work, n) & 7]++;
  }
  for (int s = 0; s < 7; ++s) printf("%s %ld\n", tfm_status_name((tfm_status)s), counts[s]);
  return 0;
}
