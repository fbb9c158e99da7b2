/* Cortex-M porting layer: semihosting exit, painted-stack high-water mark,
 * and the cost counter.
 *
 * Cost: by default none (QEMU's count plugin measures exact instructions at
 * the tfm_marker_* symbols instead). With -DTFM_COST_TIMER the CMSDK APB
 * timer (TFM_TIMER_BASE, default 0x40000000, MPS2/MPS3) is used: under QEMU
 * with `-icount shift=0,align=off,sleep=off` it ticks once per 40
 * instructions (25 MHz, 1 ns per instruction), identical across runs. */
#if defined(__arm__)

#include <stdint.h>

#include "cortex_m.h"
#include "tfm/port.h"

void tfm_port_exit(int code) {
  /* Semihosting SYS_EXIT_EXTENDED (0x20) with ADP_Stopped_ApplicationExit
   * (0x20026): QEMU exits with `code` as its status. */
  volatile uint32_t block[2] = {0x20026u, (uint32_t)code};
  register uint32_t r0 __asm__("r0") = 0x20u;
  register volatile uint32_t *r1 __asm__("r1") = block;
  __asm__ volatile("bkpt 0xAB" : "+r"(r0) : "r"(r1) : "memory");
  for (;;) {
    /* Semihosting disabled: nothing left to do but stop here. */
  }
}

int32_t tfm_port_stack_size(void) {
  return (int32_t)((uintptr_t)__stack_top - (uintptr_t)__stack_bottom);
}

int32_t tfm_port_stack_used(void) {
  const volatile uint32_t *p = __stack_bottom;
  while (p < __stack_top && *p == TFM_STACK_PAINT) ++p;
  return (int32_t)((uintptr_t)__stack_top - (uintptr_t)p);
}

#if defined(TFM_COST_TIMER)
#ifndef TFM_TIMER_BASE
#define TFM_TIMER_BASE 0x40000000u
#endif
/* CMSDK APB timer: CTRL +0x0 (bit 0 enable), VALUE +0x4 (counts down), RELOAD +0x8. */
#define TFM_TIMER ((volatile uint32_t *)TFM_TIMER_BASE)

static uint32_t last_value;
static uint64_t elapsed;
static int started;

uint64_t tfm_port_cost(void) {
  if (!started) {
    TFM_TIMER[2] = 0xFFFFFFFFu;
    TFM_TIMER[1] = 0xFFFFFFFFu;
    TFM_TIMER[0] = 1u;
    last_value = 0xFFFFFFFFu;
    started = 1;
  }
  uint32_t now = TFM_TIMER[1];
  elapsed += (uint32_t)(last_value - now); /* modulo 2^32: one wrap between calls is fine */
  last_value = now;
  return elapsed;
}

const char *tfm_port_cost_unit(void) { return "ticks"; }
#else
uint64_t tfm_port_cost(void) { return 0; }

const char *tfm_port_cost_unit(void) { return "none"; }
#endif

#endif /* __arm__ */
