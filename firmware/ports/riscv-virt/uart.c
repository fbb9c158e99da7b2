/* NS16550A UART of QEMU `virt` (byte registers): polled transmit.
 * TFM_UART_BASE is derived from the board's [uart] base (default 0x10000000). */
#include <stddef.h>
#include <stdint.h>

#include "tfm/port.h"

#ifndef TFM_UART_BASE
#define TFM_UART_BASE 0x10000000u
#endif

/* THR +0 (write), LSR +5 (bit 5: THR empty). */
#define TFM_UART ((volatile uint8_t *)(uintptr_t)(TFM_UART_BASE))

void tfm_port_write(const char *bytes, size_t len) {
  for (size_t i = 0; i < len; ++i) {
    while (!(TFM_UART[5] & 0x20u)) {
    }
    TFM_UART[0] = (uint8_t)bytes[i];
  }
}
