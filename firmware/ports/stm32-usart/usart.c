/* STM32F4 USART (e.g. USART1 of the STM32F405 on netduinoplus2): polled
 * transmit. TFM_UART_BASE is derived from the board's [uart] base (default USART1). */
#include <stddef.h>
#include <stdint.h>

#include "tfm/port.h"

#ifndef TFM_UART_BASE
#define TFM_UART_BASE 0x40011000u
#endif

/* SR +0x00 (bit 7: TXE), DR +0x04, CR1 +0x0C (bit 13: UE, bit 3: TE). */
#define TFM_USART ((volatile uint32_t *)(uintptr_t)(TFM_UART_BASE))

void tfm_port_write(const char *bytes, size_t len) {
  static int ready;
  if (!ready) {
    TFM_USART[3] = (1u << 13) | (1u << 3);
    ready = 1;
  }
  for (size_t i = 0; i < len; ++i) {
    while (!(TFM_USART[0] & (1u << 7))) {
    }
    TFM_USART[1] = (uint8_t)bytes[i];
  }
}
