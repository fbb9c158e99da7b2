/* RISC-V QEMU `virt` porting layer: .data/.bss set-up and stack painting,
 * exit through the SiFive test device, trap report, minstret cost.
 *
 * minstret counts retired instructions exactly only under QEMU's -icount;
 * without it QEMU returns host ticks (the count plugin is exact either way). */
#if defined(__riscv)

#include <stdint.h>

#include "../common/hexfmt.h"
#include "tfm/port.h"

#ifndef TFM_TEST_DEVICE_BASE
#define TFM_TEST_DEVICE_BASE 0x100000u
#endif

#define TFM_STACK_PAINT 0x5AC3A55Au

extern uint32_t __data_load[], __data_start[], __data_end[];
extern uint32_t __bss_start[], __bss_end[];
extern uint32_t __stack_bottom[], __stack_top[];

void tfm_rv_init(void);
void tfm_rv_trap_report(uint32_t mcause, uint32_t mepc, uint32_t mtval, uint32_t sp,
                        uint32_t ra);

void tfm_rv_init(void) {
  /* volatile: keep gcc from turning the loops into memcpy/memset calls. */
  volatile uint32_t *dst = __data_start;
  const volatile uint32_t *src = __data_load;
  while (dst < __data_end) *dst++ = *src++;
  for (dst = __bss_start; dst < __bss_end; ++dst) *dst = 0;
  uint32_t sp;
  __asm__ volatile("mv %0, sp" : "=r"(sp));
  for (dst = __stack_bottom; (uint32_t)(uintptr_t)dst < sp - 64u; ++dst) *dst = TFM_STACK_PAINT;
}

void tfm_port_exit(int code) {
  /* SiFive test device: 0x5555 = pass, (code << 16) | 0x3333 = fail with code. */
  volatile uint32_t *test = (volatile uint32_t *)(uintptr_t)TFM_TEST_DEVICE_BASE;
  *test = code == 0 ? 0x5555u : (((uint32_t)code << 16) | 0x3333u);
  for (;;) {
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

uint64_t tfm_port_cost(void) {
  uint32_t hi, lo, hi2;
  do { /* re-read when the low word wrapped between the two reads */
    __asm__ volatile("csrr %0, minstreth" : "=r"(hi));
    __asm__ volatile("csrr %0, minstret" : "=r"(lo));
    __asm__ volatile("csrr %0, minstreth" : "=r"(hi2));
  } while (hi != hi2);
  return ((uint64_t)hi << 32) | lo;
}

const char *tfm_port_cost_unit(void) { return "instructions"; }

/* Exception names for mcause (interrupt bit clear), RISC-V privileged spec. */
static const char *const kTrapNames[] = {
    "InstructionMisaligned", "InstructionAccessFault", "IllegalInstruction", "Breakpoint",
    "LoadMisaligned",        "LoadAccessFault",        "StoreMisaligned",    "StoreAccessFault",
    "EcallU",                "EcallS",                 "Trap10",             "EcallM",
    "InstructionPageFault",  "LoadPageFault",          "Trap14",             "StorePageFault"};

void tfm_rv_trap_report(uint32_t mcause, uint32_t mepc, uint32_t mtval, uint32_t sp,
                        uint32_t ra) {
  char buf[160];
  tfm_line line = {buf, sizeof buf - 1, 0};
  /* Leading newline: the fault may interrupt a half-written line. */
  tfm_line_str(&line, "\nTFM FAULT ");
  if (mcause & 0x80000000u) {
    tfm_line_str(&line, "Interrupt");
  } else {
    tfm_line_str(&line, mcause < 16u ? kTrapNames[mcause] : "Exception");
  }
  tfm_line_hex(&line, "pc", mepc);
  tfm_line_hex(&line, "lr", ra);
  tfm_line_hex(&line, "sp", sp);
  tfm_line_hex(&line, "mcause", mcause);
  tfm_line_hex(&line, "mtval", mtval);
  buf[line.len++] = '\n';
  tfm_port_write(buf, line.len);
  tfm_port_exit(3);
}

#endif /* __riscv */
