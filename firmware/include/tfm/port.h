/* Porting layer: the few functions a board provides.
 *
 * A port implements these in firmware/ports/<family>/port.c. Weak defaults
 * (firmware/runtime/port_defaults.c) make every one optional except
 * tfm_port_write. No vendor #ifdef appears in shared code. */
#ifndef TFM_PORT_H
#define TFM_PORT_H

#include <stddef.h>
#include <stdint.h>

/* Write `len` bytes to the console (UART on a board, stdout on the host). */
void tfm_port_write(const char *bytes, size_t len);

/* A monotonically increasing cost counter (instructions or timer ticks);
 * 0 when the board has none. Used by the profiler around every operator. */
uint64_t tfm_port_cost(void);

/* Name of what tfm_port_cost counts ("instructions", "ticks", "none"). */
const char *tfm_port_cost_unit(void);

/* Stack bytes used so far (painted-stack high-water mark), -1 if unknown. */
int32_t tfm_port_stack_used(void);
/* Stack bytes available in total, -1 if unknown. */
int32_t tfm_port_stack_size(void);

/* End the program with an exit status (semihosting exit, test device, exit()). */
void tfm_port_exit(int code);

#endif /* TFM_PORT_H */
