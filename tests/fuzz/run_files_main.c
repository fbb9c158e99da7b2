/* Each file given through tfm_fuzz_one (tests/fuzz/fuzz_model.c), built with
 * ASan/UBSan: prints one status name per file. A memory error or a silent
 * failure aborts the process.
 *   run_files MODEL.tflite... */
#include <stdint.h>
#include <stdio.h>

#include "tfm/status.h"

int tfm_fuzz_one(const uint8_t *data, size_t size);

int main(int argc, char **argv) {
  static uint8_t model[1 << 20];
  for (int i = 1; i < argc; ++i) {
    FILE *f = fopen(argv[i], "rb");
    if (f == NULL) return 2;
    size_t n = fread(model, 1, sizeof model, f);
    fclose(f);
    printf("%s\n", tfm_status_name((tfm_status)tfm_fuzz_one(model, n)));
  }
  return 0;
}
