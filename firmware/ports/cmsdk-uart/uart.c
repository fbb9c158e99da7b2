/* Arm CMSDK APB UART (MPS2/MPS3 UART0): polled transmit.
 * TFM_UART_BASE is derived from the board's [uart] base (default: MPS2 UART0). */
#include <stddef.h>
#include <stdint.h>

#include "tfm/port.h"

#ifndef TFM_UART_BASE
#define TFM_UART_BASE 0x40004000u
#endif

/* DATA +0x00, STATE +0x04 (bit 0: TX buffer full), CTRL +0x08 (bit 0: TX
 * enable), BAUDDIV +0x10 (must be >= 16). */
#define TFM_UART ((volatile uint32_t *)(uintptr_t)(TFM_UART_BASE))

void tfm_port_write(const char *bytes, size_t len) {
  static int ready;
  if (!ready) {
    TFM_UART[4] = 16u;
    TFM_UART[2] = 1u;
    ready = 1;
  }
  for (size_t i = 0; i < len; ++i) {
    while (TFM_UART[1] & 1u) {
    }
    TFM_UART[0] = (uint8_t)bytes[i];
  }
}
