/* arm-dsp: four FULLY_CONNECTED units at a time as one assembly function
 * (GCC spills the 4 accumulators, 4 row pointers, the input pointer, the
 * input offset and 4 unpacking temporaries). Per 4 inputs: one LDR and two
 * SXTAB16 (input offset added, shared by the 4 units), then per unit one LDR
 * and two SXTB16 of its weights and 2 SMLAD: 23 instructions per 16 MACs
 * (unrolled twice, the loop ends on the first row's end pointer). Exact: the
 * products of (x + offset) * w fit the 16-bit lanes; SMLAD adds modulo 2^32
 * (arm_dsp.h). */
#include "arm_dsp.h"

#if defined(__OPTIMIZE__) && !defined(__OPTIMIZE_SIZE__) && !defined(TFM_DSP_NO_ASM)

#define DSP_F4_UNIT(row, acc)                                                               \
  "ldr r12, [" row "], #4\n\t"                                                              \
  "sxtb16 lr, r12\n\t"                                                                      \
  "sxtb16 r12, r12, ror #8\n\t"                                                             \
  "smlad " acc ", lr, r10, " acc "\n\t"                                                     \
  "smlad " acc ", r12, r11, " acc "\n\t"
#define DSP_F4_GROUP                                                                        \
  "ldr r10, [r0], #4\n\t"                                                                   \
  "sxtab16 r11, r9, r10, ror #8\n\t"                                                        \
  "sxtab16 r10, r9, r10\n\t"                                                                \
  DSP_F4_UNIT("r1", "r5") DSP_F4_UNIT("r2", "r6") DSP_F4_UNIT("r3", "r7")                   \
  DSP_F4_UNIT("r4", "r8")

/* Frame: [sp] end of row 0's groups, [sp+4] the accumulators' address. */
__asm__(
    ".pushsection .text.dsp_fc_dot4,\"ax\",%progbits\n\t"
    ".balign 4\n\t"
    ".global dsp_fc_dot4\n\t"
    ".type dsp_fc_dot4, %function\n\t"
    ".thumb_func\n"
    "dsp_fc_dot4:\n\t"
    "push {r4, r5, r6, r7, r8, r9, r10, r11, lr}\n\t"
    "sub sp, sp, #12\n\t"
    "mov r12, r0\n\t"
    "ldmia r12, {r0, r1, r2, r3, r9}\n\t" /* x, row 0, groups, depth, offset2 */
    "ldr r10, [r12, #20]\n\t"
    "str r10, [sp, #4]\n\t"
    "ldmia r10, {r5, r6, r7, r8}\n\t"
    "add r10, r1, r2, lsl #2\n\t" /* end of row 0's groups */
    "str r10, [sp, #0]\n\t"
    "mov r10, r2\n\t"
    "add r2, r1, r3\n\t"          /* row 1 */
    "add r4, r2, r3, lsl #1\n\t"  /* row 3 */
    "add r3, r2, r3\n\t"          /* row 2 */
    "lsrs r10, r10, #1\n\t"              /* an odd group count enters at the second */
    "bcc 3f\n\t"
    "b 5f\n"
    "3:\n\t"
    DSP_F4_GROUP
    "5:\n\t"
    DSP_F4_GROUP
    "ldr lr, [sp, #0]\n\t"
    "cmp r1, lr\n\t"
    "bne 3b\n\t"
    "ldr r10, [sp, #4]\n\t"
    "stmia r10, {r5, r6, r7, r8}\n\t"
    "add sp, sp, #12\n\t"
    "pop {r4, r5, r6, r7, r8, r9, r10, r11, pc}\n\t"
    ".size dsp_fc_dot4, .-dsp_fc_dot4\n\t"
    ".popsection\n");

#else /* the same computation in C (-O0 / -Os builds) */

void dsp_fc_dot4(const dsp_fc4_args *a) {
  for (int u = 0; u < 4; ++u) {
    const int8_t *x = a->x, *w = a->w + u * a->depth;
    int32_t s = a->acc[u];
    for (int32_t g = 0; g < a->groups; ++g, x += 4, w += 4) {
      const int32_t xv = dsp_load4(x), wv = dsp_load4(w);
      s = __smlad(dsp_sx02(wv), dsp_ext02(a->offset2, xv), s);
      s = __smlad(dsp_sx13(wv), dsp_ext13(a->offset2, xv), s);
    }
    a->acc[u] = s;
  }
}

#endif
