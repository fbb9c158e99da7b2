/* Cortex-M port internals shared by startup.c, fault.c and port.c.
 *
 * Symbols come from the linker script rendered from
 * firmware/ports/cortex-m/linker.ld.j2 (see docs/simulators.md). */
#ifndef TFM_PORT_CORTEX_M_H
#define TFM_PORT_CORTEX_M_H

#include <stdint.h>

extern uint32_t __data_load[], __data_start[], __data_end[];
extern uint32_t __bss_start[], __bss_end[];
extern uint32_t __stack_bottom[], __stack_top[];

/* Word painted over the unused stack at reset; the high-water mark is the
 * lowest word that no longer holds it. */
#define TFM_STACK_PAINT 0x5AC3A55Au

/* System Control Block registers (Armv7-M / Armv8-M ARM, B3.2). */
#define TFM_SCB_CFSR (*(volatile uint32_t *)0xE000ED28u)
#define TFM_SCB_HFSR (*(volatile uint32_t *)0xE000ED2Cu)
#define TFM_SCB_MMFAR (*(volatile uint32_t *)0xE000ED34u)
#define TFM_SCB_BFAR (*(volatile uint32_t *)0xE000ED38u)
#define TFM_SCB_CPACR (*(volatile uint32_t *)0xE000ED88u)

/* Called by the naked fault handlers with the exception stack frame, the
 * fault kind (index into the kind names) and EXC_RETURN. Never returns. */
void tfm_cm_fault_report(const uint32_t *frame, uint32_t kind, uint32_t exc_return);

#endif /* TFM_PORT_CORTEX_M_H */
