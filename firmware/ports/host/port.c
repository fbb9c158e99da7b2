/* Host port: stdout console, exit(); no cost counter (weak defaults). */
#include <stdio.h>
#include <stdlib.h>

#include "tfm/port.h"

void tfm_port_write(const char *bytes, size_t len) {
  fwrite(bytes, 1, len, stdout);
}

void tfm_port_exit(int code) {
  fflush(stdout);
  exit(code);
}
