/* Port probe: exercises a board port without the interpreter.
 *
 * Prints `TFM BEGIN v1`, the inputs header the simulator loaded at
 * tfm_inputs_region, a STACK line after using a known amount of stack, runs a
 * loop of exactly 2 * PROBE_LOOPS instructions between tfm_marker_op_begin
 * and tfm_marker_op_end (and the port's cost over it), then `TFM END PASS`.
 * -DPROBE_FAULT jumps to an invalid address; -DPROBE_HANG never ends. */
#include <stddef.h>
#include <stdint.h>

#include "tfm/port.h"
#include "tfm/profiler.h"

#ifndef PROBE_LOOPS
#define PROBE_LOOPS 1000
#endif

/* Read from memory so the loop's set-up does not depend on the value. */
volatile uint32_t probe_loops = PROBE_LOOPS;

/* Distinct bodies so the linker cannot fold the markers together. */
volatile uint32_t probe_sink;
__attribute__((noinline)) void tfm_marker_init_begin(void) { probe_sink = 1; }
__attribute__((noinline)) void tfm_marker_init_end(void) { probe_sink = 2; }
__attribute__((noinline)) void tfm_marker_invoke_begin(void) { probe_sink = 3; }
__attribute__((noinline)) void tfm_marker_invoke_end(void) { probe_sink = 4; }
__attribute__((noinline)) void tfm_marker_op_begin(void) { probe_sink = 5; }
__attribute__((noinline)) void tfm_marker_op_end(void) { probe_sink = 6; }

uint8_t tfm_inputs_region[64] __attribute__((aligned(16), section(".tfm_inputs")));

static void put(const char *s) {
  size_t n = 0;
  while (s[n] != '\0') ++n;
  tfm_port_write(s, n);
}

static void put_u32(uint32_t v) {
  char buf[11];
  int i = 10;
  buf[i] = '\0';
  do {
    buf[--i] = (char)('0' + v % 10u);
    v /= 10u;
  } while (v != 0u);
  put(&buf[i]);
}

static uint32_t read_u32(const volatile uint8_t *p) {
  return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}

/* Touches 2 KiB of stack so the high-water mark must exceed it. */
__attribute__((noinline)) static uint32_t use_stack(uint32_t seed) {
  volatile uint8_t block[2048];
  for (size_t i = 0; i < sizeof block; ++i) block[i] = (uint8_t)(seed + i);
  return block[seed % sizeof block];
}

/* Exactly 2 instructions per iteration. */
__attribute__((noinline)) static void counted_loop(uint32_t n) {
#if defined(__riscv)
  __asm__ volatile("1: addi %0, %0, -1\n bnez %0, 1b" : "+r"(n));
#else
  __asm__ volatile("1: subs %0, %0, #1\n bne 1b" : "+l"(n) : : "cc");
#endif
}

int main(void) {
  put("TFM BEGIN v1\n");
#if defined(PROBE_FAULT)
  void (*volatile bad)(void) = (void (*)(void))(uintptr_t)0xFFFFFFF0u;
  bad();
#endif
#if defined(PROBE_HANG)
  for (volatile int forever = 1; forever;) {
  }
#endif
  const volatile uint8_t *in = tfm_inputs_region;
  put("TFM PROBE magic=");
  put(in[0] == 'T' && in[1] == 'F' && in[2] == 'M' && in[3] == 'I' ? "ok" : "missing");
  put(" invocations=");
  put_u32(read_u32(in + 4));
  put(" bytes=");
  put_u32(read_u32(in + 8));
  put("\n");
  tfm_marker_init_begin();
  probe_sink = use_stack(7);
  tfm_marker_init_end();
  tfm_marker_invoke_begin();
  uint64_t cost = tfm_port_cost();
  tfm_marker_op_begin();
  counted_loop(probe_loops);
  tfm_marker_op_end();
  cost = tfm_port_cost() - cost;
  tfm_marker_invoke_end();
  put("TFM PROBE cost=");
  put_u32((uint32_t)cost);
  put(" unit=");
  put(tfm_port_cost_unit());
  put("\n");
  put("TFM STACK used=");
  put_u32((uint32_t)tfm_port_stack_used());
  put(" size=");
  put_u32((uint32_t)tfm_port_stack_size());
  put("\n");
  put("TFM END PASS\n");
  tfm_port_exit(0);
  return 0;
}
