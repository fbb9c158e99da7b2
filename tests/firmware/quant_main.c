/* Reads doubles (one per line, as %a hex floats or decimals) and prints
 * "multiplier shift" from tfm_quantize_multiplier for each. Test driver. */
#include <stdio.h>
#include <stdlib.h>

#include "quant.h"

int main(void) {
  char line[128];
  while (fgets(line, sizeof line, stdin)) {
    double real = strtod(line, NULL);
    int32_t multiplier;
    int shift;
    tfm_quantize_multiplier(real, &multiplier, &shift);
    printf("%ld %d\n", (long)multiplier, shift);
  }
  return 0;
}
