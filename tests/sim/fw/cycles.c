/* Cycle-model micro-benchmarks: one hand-written loop per timing class.
 *
 * Each kernel runs `loops` iterations (read from tfm_inputs_region after the
 * 16-byte header) between tfm_marker_op_begin and tfm_marker_op_end, in the
 * order of the KERNELS table; tests/sim/test_cycles.py runs the firmware with
 * two loop counts, so per-iteration cycles follow from the difference and the
 * fixed call/return overhead cancels. Kernels are naked functions of
 * (uint32_t n, uint32_t *buf): the loop bodies are exactly what is written. */
#include <stddef.h>
#include <stdint.h>

#include "tfm/port.h"

volatile uint32_t cycles_sink;
__attribute__((noinline)) void tfm_marker_op_begin(void) { cycles_sink = 5; }
__attribute__((noinline)) void tfm_marker_op_end(void) { cycles_sink = 6; }

uint8_t tfm_inputs_region[64] __attribute__((aligned(16), section(".tfm_inputs")));

/* buf[0] points at buf itself (dependent-load chain); the rest are data. */
static uint32_t buf[16] __attribute__((aligned(8)));

#define KERNEL(name, body) __attribute__((naked, noinline)) static void name( \
    __attribute__((unused)) uint32_t n, __attribute__((unused)) uint32_t *b) { \
    __asm__ volatile(body); }

#if defined(__riscv)
#define LOOP(setup, body) setup "\n li t1, 3\n1:\n" body "\n addi a0, a0, -1\n bnez a0, 1b\n3:\n ret\n"
KERNEL(k_empty, LOOP("", ""))
KERNEL(k_alu, LOOP("", "addi t0, t0, 1\n xor t2, t2, t0\n or t2, t2, t0\n slli t0, t2, 1"))
KERNEL(k_load, LOOP("", "lw t0, 0(a1)\n lw t2, 4(a1)\n lw t0, 8(a1)\n lw t2, 12(a1)"))
KERNEL(k_store, LOOP("", "sw t0, 16(a1)\n sw t2, 20(a1)"))
KERNEL(k_mul, LOOP("", "mul t0, t0, t1\n mul t0, t0, t1\n mul t0, t0, t1\n mul t0, t0, t1"))
KERNEL(k_mulh, LOOP("", "mulh t0, t0, t1\n mulhu t0, t0, t1"))
KERNEL(k_div, LOOP("", "divu t0, t0, t1\n rem t0, t0, t1"))
KERNEL(k_taken, LOOP("", "j 2f\n nop\n2:"))
KERNEL(k_not_taken, LOOP("", "beqz a0, 3f"))
#else
#define LOOP_EPILOGUE(setup, body, epilogue) \
  ".syntax unified\n" setup "\n movs r3, #3\n1:\n" body "\n subs r0, r0, #1\n bne 1b\n3:\n" \
  epilogue "\n bx lr\n"
#define LOOP(setup, body) LOOP_EPILOGUE(setup, body, "")
KERNEL(k_empty, LOOP("", ""))
KERNEL(k_alu, LOOP("", "adds r2, r2, #1\n eors r2, r3\n orrs r2, r3\n lsls r2, r2, #1"))
KERNEL(k_load, LOOP("", "ldr r2, [r1]\n ldr r3, [r1, #4]\n ldr r12, [r1, #8]\n ldr r2, [r1, #12]"))
KERNEL(k_load_dep, LOOP("", "ldr r2, [r1]\n ldr r2, [r2]"))
KERNEL(k_load_store, LOOP("movs r12, #16", "ldr r2, [r1]\n str r2, [r1, r12]"))
KERNEL(k_store_reg, LOOP("movs r12, #16", "str r2, [r1, r12]"))
KERNEL(k_agu, LOOP("", "adds r2, r1, #0\n ldr r3, [r2]"))
KERNEL(k_ldm5, LOOP_EPILOGUE("push {r4-r6}", "ldm r1, {r2, r3, r4, r5, r6}", "pop {r4-r6}"))
KERNEL(k_push_pop, LOOP("", "push {r1-r3}\n pop {r1-r3}"))
KERNEL(k_mul, LOOP("", "mul r2, r2, r3\n mul r2, r2, r3\n mul r2, r2, r3\n mul r2, r2, r3"))
KERNEL(k_mla, LOOP("", "mla r2, r2, r3, r2\n mla r2, r2, r3, r2"))
KERNEL(k_umull, LOOP("", "umull r2, r12, r2, r3\n umull r2, r12, r2, r3"))
KERNEL(k_udiv, LOOP("", "udiv r2, r2, r3\n udiv r2, r2, r3"))
KERNEL(k_taken, LOOP("", "b 2f\n nop\n2:"))
KERNEL(k_not_taken, LOOP("", "cmp r0, #0\n beq 3f"))
#if defined(__ARM_FEATURE_DSP)
KERNEL(k_smlad, LOOP("", "smlad r2, r2, r3, r2\n smlad r2, r2, r3, r2\n smlad r2, r2, r3, r2\n"
                         " smlad r2, r2, r3, r2"))
#endif
#if defined(__ARM_FP)
KERNEL(k_fp, LOOP("", "vadd.f32 s0, s0, s1\n vmul.f32 s2, s0, s1\n vmla.f32 s3, s0, s1"))
KERNEL(k_fdiv, LOOP("", "vdiv.f32 s2, s0, s1"))
#endif
#if defined(__ARM_FEATURE_MVE)
KERNEL(k_mve, LOOP("", "vldrw.u32 q0, [r1]\n vadd.i32 q1, q0, q0"))
/* Low-overhead loop: DLS/LE instead of SUBS/BNE (the loop end is 0-refill). */
KERNEL(k_lob, "push {r4, lr}\n dls lr, r0\n1:\n adds r2, #1\n le lr, 1b\n pop {r4, pc}\n")
#endif
#endif

typedef void (*kernel)(uint32_t, uint32_t *);

#if defined(__riscv)
static const kernel KERNELS[] = {k_empty, k_alu, k_load, k_store, k_mul, k_mulh, k_div,
                                 k_taken, k_not_taken};
#else
static const kernel KERNELS[] = {
    k_empty, k_alu, k_load, k_load_dep, k_load_store, k_store_reg, k_agu, k_ldm5, k_push_pop,
    k_mul, k_mla, k_umull, k_udiv, k_taken, k_not_taken,
#if defined(__ARM_FEATURE_DSP)
    k_smlad,
#endif
#if defined(__ARM_FP)
    k_fp, k_fdiv,
#endif
#if defined(__ARM_FEATURE_MVE)
    k_mve, k_lob,
#endif
};
#endif

static void put(const char *s) {
  size_t n = 0;
  while (s[n] != '\0') ++n;
  tfm_port_write(s, n);
}

int main(void) {
  put("TFM BEGIN v1\n");
  const volatile uint8_t *in = tfm_inputs_region + 16;
  uint32_t loops = (uint32_t)in[0] | ((uint32_t)in[1] << 8) | ((uint32_t)in[2] << 16) |
                   ((uint32_t)in[3] << 24);
  buf[0] = (uint32_t)(uintptr_t)buf;
  for (size_t i = 0; i < sizeof KERNELS / sizeof KERNELS[0]; ++i) {
    tfm_marker_op_begin();
    KERNELS[i](loops, buf);
    tfm_marker_op_end();
  }
  put("TFM END PASS\n");
  tfm_port_exit(0);
  return 0;
}
