/* Cortex-M startup: vector table, reset handler and fault entry points.
 *
 * No vendor HAL and no libc crt0: the reset handler copies .data, zeroes
 * .bss, paints the unused stack (for tfm_port_stack_used), enables the FPU/MVE
 * coprocessors when the build uses them, then calls main and exits. */
#if defined(__arm__)

#include <stdint.h>

#include "cortex_m.h"
#include "tfm/port.h"

int main(void);
void tfm_reset_handler(void);
void tfm_cm_hardfault(void);
void tfm_cm_memmanage(void);
void tfm_cm_busfault(void);
void tfm_cm_usagefault(void);
void tfm_cm_securefault(void);
void tfm_cm_unexpected(void);
void tfm_cm_fault_entry(void);

typedef void (*tfm_vector)(void);

/* 16 system exceptions + 32 external interrupts (none is enabled: any that
 * fires is reported as a fault). Placed first in flash by the linker script. */
__attribute__((section(".vectors"), used)) const tfm_vector tfm_vector_table[48] = {
    (tfm_vector)(uintptr_t)__stack_top,
    tfm_reset_handler,
    tfm_cm_unexpected, /* NMI */
    tfm_cm_hardfault,
    tfm_cm_memmanage,
    tfm_cm_busfault,
    tfm_cm_usagefault,
    tfm_cm_securefault, /* Armv8-M only; reserved on Armv7-M */
    0, 0, 0,
    tfm_cm_unexpected, /* SVCall */
    tfm_cm_unexpected, /* DebugMonitor */
    0,
    tfm_cm_unexpected, /* PendSV */
    tfm_cm_unexpected, /* SysTick */
    [16 ... 47] = tfm_cm_unexpected,
};

/* Fault entry: pick the stack the exception frame was pushed on (EXC_RETURN
 * bit 2), then report. r1 holds the kind index set by the stubs below. */
#if __ARM_ARCH_ISA_THUMB >= 2
__attribute__((naked, used)) void tfm_cm_fault_entry(void) {
  __asm__ volatile(
      "mov r2, lr\n"
      "tst r2, #4\n"
      "ite eq\n"
      "mrseq r0, msp\n"
      "mrsne r0, psp\n"
      "b tfm_cm_fault_report\n");
}

#define TFM_FAULT_STUB(fn, kind)                      \
  __attribute__((naked)) void fn(void) {              \
    __asm__ volatile("movs r1, #" #kind "\n"          \
                     "b tfm_cm_fault_entry\n");       \
  }
#else
/* Armv6-M (Cortex-M0/M0+): no IT blocks, no TST with an immediate, and a 16-bit
 * B reaches only +-2 KiB, so branch through a register. */
__attribute__((naked, used)) void tfm_cm_fault_entry(void) {
  __asm__ volatile(
      "mov r2, lr\n" /* EXC_RETURN: tfm_cm_fault_report's third argument */
      "movs r3, #4\n"
      "tst r2, r3\n"
      "bne 1f\n"
      "mrs r0, msp\n"
      "b 2f\n"
      "1:\n"
      "mrs r0, psp\n"
      "2:\n"
      "ldr r3, =tfm_cm_fault_report\n"
      "bx r3\n");
}

#define TFM_FAULT_STUB(fn, kind)                      \
  __attribute__((naked)) void fn(void) {              \
    __asm__ volatile("movs r1, #" #kind "\n"          \
                     "ldr r2, =tfm_cm_fault_entry\n"  \
                     "bx r2\n");                      \
  }
#endif

TFM_FAULT_STUB(tfm_cm_hardfault, 0)
TFM_FAULT_STUB(tfm_cm_memmanage, 1)
TFM_FAULT_STUB(tfm_cm_busfault, 2)
TFM_FAULT_STUB(tfm_cm_usagefault, 3)
TFM_FAULT_STUB(tfm_cm_securefault, 4)
TFM_FAULT_STUB(tfm_cm_unexpected, 5)

void tfm_reset_handler(void) {
#if defined(__ARM_FP) || defined(__ARM_FEATURE_MVE)
  /* CP10/CP11 full access before any floating-point or MVE instruction. */
  TFM_SCB_CPACR |= 0xFu << 20;
  __asm__ volatile("dsb\n isb" ::: "memory");
#endif
  /* volatile: keep gcc from turning the loops into memcpy/memset calls. */
  volatile uint32_t *dst = __data_start;
  const volatile uint32_t *src = __data_load;
  while (dst < __data_end) *dst++ = *src++;
  for (dst = __bss_start; dst < __bss_end; ++dst) *dst = 0;

  uint32_t sp;
  __asm__ volatile("mov %0, sp" : "=r"(sp));
  /* Leave a margin below the live frame of this function. */
  for (dst = __stack_bottom; (uint32_t)(uintptr_t)dst < sp - 64u; ++dst) *dst = TFM_STACK_PAINT;

  tfm_port_exit(main());
}

#endif /* __arm__ */
