/* arm-dsp: one output pixel of a 3x3 depthwise convolution (depth multiplier 1,
 * no dilation, every tap in the image or in a padded patch), all channel groups
 * of 4, as one assembly function (GCC spills the 4 accumulators, 2 unpacked
 * weights, 2 unpacked inputs and 4 pointers of the loop). Per tap: one LDR of 4
 * inputs, two SXTB16, one LDRD of the prepared weights (dsp_dw3_group), 4
 * SMLABB/SMLATT; the input offset is folded into the group's biases. Per
 * output: the fast rescale of dsp_rqf.h (6 instructions) from the channel's
 * dsp_quad_row. A channel off the fast rescale (sh < 0 in its row) gets a
 * meaningless value here; the caller recomputes it (dsp_dw_fixup). */
#include "arm_dsp.h"

#if defined(__OPTIMIZE__) && !defined(__OPTIMIZE_SIZE__) && !defined(TFM_DSP_NO_ASM)

#define DSP_STR_(x) #x
#define DSP_STR(x) DSP_STR_(x)
#define DSP_D3_TAP(t)                                                                        \
  "sxtb16 r10, lr\n\t"                                                                      \
  "sxtb16 r11, lr, ror #8\n\t"                                                              \
  "ldrd r8, r9, [r1, #" DSP_STR(t) "]\n\t"                                                  \
  "smlabb r4, r10, r8, r4\n\t"                                                              \
  "smlatt r6, r10, r8, r6\n\t"                                                              \
  "smlabb r5, r11, r9, r5\n\t"                                                              \
  "smlatt r7, r11, r9, r7\n\t"
/* one filter row: taps at r12, r12 + C, r12 + 2C (r12 ends at + C) */
#define DSP_D3_ROW(t0, t1, t2)                                                               \
  "ldr lr, [r12]\n\t" DSP_D3_TAP(t0)                                                        \
  "ldr lr, [r12, r2]\n\t" DSP_D3_TAP(t1)                                                    \
  "add r12, r12, r2\n\t"                                                                    \
  "ldr lr, [r12, r2]\n\t" DSP_D3_TAP(t2)
#define DSP_D3_RQ(a)                                                                         \
  "ldmia r12!, {r8, r9, r10, r11}\n\t" /* bias (unused), m, sh, khi */                       \
  "and lr, " a ", #0x80000000\n\t"                                                          \
  "orr lr, lr, #0x40000000\n\t"                                                             \
  "add r11, r11, " a ", asr #31\n\t"                                                        \
  "smlal lr, r11, " a ", r9\n\t"                                                            \
  "asr r11, r11, r10\n\t"                                                                   \
  "ssat " a ", #8, r11\n\t"

/* Frame: [sp] table row, [sp+4] out, [sp+8] groups left. */
__asm__(
    ".pushsection .text.dsp_dw3_px,\"ax\",%progbits\n\t"
    ".balign 4\n\t"
    ".global dsp_dw3_px\n\t"
    ".type dsp_dw3_px, %function\n\t"
    ".thumb_func\n"
    "dsp_dw3_px:\n\t"
    "push {r4, r5, r6, r7, r8, r9, r10, r11, lr}\n\t"
    "sub sp, sp, #12\n\t"
    "ldr r1, [r0, #8]\n\t"
    "str r1, [sp, #0]\n\t"
    "ldr r1, [r0, #12]\n\t"
    "str r1, [sp, #4]\n\t"
    "ldr r1, [r0, #16]\n\t"
    "str r1, [sp, #8]\n\t"
    "ldr r2, [r0, #20]\n\t" /* C */
    "ldr r3, [r0, #24]\n\t"
    "sub r3, r3, r2\n\t" /* row - C */
    "ldr r1, [r0, #4]\n\t"
    "ldr r0, [r0, #0]\n"
    "1:\n\t"
    "ldmia r1, {r4, r5, r6, r7}\n\t"
    "mov r12, r0\n\t"
    DSP_D3_ROW(16, 24, 32)
    "add r12, r12, r3\n\t"
    DSP_D3_ROW(40, 48, 56)
    "add r12, r12, r3\n\t"
    DSP_D3_ROW(64, 72, 80)
    "ldr r12, [sp, #0]\n\t"
    DSP_D3_RQ("r4")
    DSP_D3_RQ("r5")
    DSP_D3_RQ("r6")
    DSP_D3_RQ("r7")
    "str r12, [sp, #0]\n\t"
    "ldr lr, [sp, #4]\n\t"
    "strb r4, [lr]\n\t"
    "strb r5, [lr, #1]\n\t"
    "strb r6, [lr, #2]\n\t"
    "strb r7, [lr, #3]\n\t"
    "adds lr, lr, #4\n\t"
    "str lr, [sp, #4]\n\t"
    "adds r0, r0, #4\n\t"
    "adds r1, r1, #88\n\t"
    "ldr lr, [sp, #8]\n\t"
    "subs lr, lr, #1\n\t"
    "str lr, [sp, #8]\n\t"
    "bne 1b\n\t"
    "add sp, sp, #12\n\t"
    "pop {r4, r5, r6, r7, r8, r9, r10, r11, pc}\n\t"
    ".size dsp_dw3_px, .-dsp_dw3_px\n\t"
    ".popsection\n");

#else /* the same computation in C (-O0 / -Os builds) */

void dsp_dw3_px(const dsp_dw3_args *a) {
  const int8_t *x = a->x;
  const dsp_dw3_group *gr = a->gr;
  const dsp_quad_row *row = a->table;
  int8_t *o = a->out;
  for (int32_t g = a->groups; g > 0; --g, ++gr, row += 4, x += 4, o += 4) {
    int32_t acc[4] = {gr->bias[0], gr->bias[1], gr->bias[2], gr->bias[3]};
    for (int t = 0; t < 9; ++t) {
      const int32_t v = dsp_load4(x + (t / 3) * a->row + (t % 3) * a->ch);
      const int32_t x02 = dsp_sx02(v), x13 = dsp_sx13(v);
      acc[0] = __smlabb(x02, gr->w[2 * t], acc[0]);
      acc[2] = __smlatt(x02, gr->w[2 * t], acc[2]);
      acc[1] = __smlabb(x13, gr->w[2 * t + 1], acc[1]);
      acc[3] = __smlatt(x13, gr->w[2 * t + 1], acc[3]);
    }
    for (int i = 0; i < 4; ++i) {
      o[i] = row[i].sh < 0 ? 0
                           : (int8_t)__ssat(dsp_rqf_apply(acc[i], row[i].m, row[i].sh,
                                                          row[i].khi), 8);
    }
  }
}

#endif
