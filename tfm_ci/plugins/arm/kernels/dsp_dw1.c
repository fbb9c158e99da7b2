/* arm-dsp: output pixels of a depthwise convolution with one input channel and
 * 8 output channels (depth multiplier 8, e.g. a first layer), every tap in the
 * image, as one assembly function: the 8 accumulators, the input, the weights'
 * pointer and word, the unpacked weights and the tap counter take all 14
 * registers. Per tap: one LDRSB (post-increment), two LDR of the tap's 8
 * weights, four SXTB16 and 8 SMLABB/SMLABT; the input offset is folded into
 * the starting accumulators by the caller (input_offset * sum of the channel's
 * weights: exact modulo 2^32 when every tap is in the image). Per output: the
 * fast rescale of dsp_rqf.h from the channel's dsp_dw_row. */
#include "arm_dsp.h"

#if defined(__OPTIMIZE__) && !defined(__OPTIMIZE_SIZE__) && !defined(TFM_DSP_NO_ASM)

#define DSP_D1_TAP                                                                           \
  "ldrsb r2, [r0], #1\n\t"                                                                  \
  "ldr r3, [r1], #4\n\t"                                                                    \
  "sxtb16 lr, r3\n\t"                                                                       \
  "smlabb r4, r2, lr, r4\n\t"                                                               \
  "smlabt r6, r2, lr, r6\n\t"                                                               \
  "sxtb16 lr, r3, ror #8\n\t"                                                               \
  "smlabb r5, r2, lr, r5\n\t"                                                               \
  "smlabt r7, r2, lr, r7\n\t"                                                               \
  "ldr r3, [r1], #4\n\t"                                                                    \
  "sxtb16 lr, r3\n\t"                                                                       \
  "smlabb r8, r2, lr, r8\n\t"                                                               \
  "smlabt r10, r2, lr, r10\n\t"                                                             \
  "sxtb16 lr, r3, ror #8\n\t"                                                               \
  "smlabb r9, r2, lr, r9\n\t"                                                               \
  "smlabt r11, r2, lr, r11\n\t"
#define DSP_D1_RQ(a)                                                                         \
  "ldmia r12!, {r0, r1, r2, r3}\n\t" /* bias (unused), m, sh, khi */                         \
  "and lr, " a ", #0x80000000\n\t"                                                          \
  "orr lr, lr, #0x40000000\n\t"                                                             \
  "add r3, r3, " a ", asr #31\n\t"                                                          \
  "smlal lr, r3, " a ", r1\n\t"                                                             \
  "asr r3, r3, r2\n\t"                                                                      \
  "ssat " a ", #8, r3\n\t"

/* Frame: [sp] x of the pixel, [sp+4] start accumulators, [sp+8] table,
 * [sp+12] out, [sp+16] pixels left, [sp+20] filter rows, [sp+24] taps per
 * row, [sp+28] input step to the next row's first tap, [sp+32] filter,
 * [sp+36] input step between pixels, [sp+40] rows left. */
__asm__(
    ".pushsection .text.dsp_dw1_px8,\"ax\",%progbits\n\t"
    ".balign 4\n\t"
    ".global dsp_dw1_px8\n\t"
    ".type dsp_dw1_px8, %function\n\t"
    ".thumb_func\n"
    "dsp_dw1_px8:\n\t"
    "push {r4, r5, r6, r7, r8, r9, r10, r11, lr}\n\t"
    "sub sp, sp, #44\n\t"
    "ldmia r0, {r1, r2, r3, r4, r5, r6, r7, r8, r9, r10}\n\t"
    "str r1, [sp, #0]\n\t"
    "str r2, [sp, #32]\n\t"
    "str r3, [sp, #4]\n\t"
    "str r4, [sp, #8]\n\t"
    "str r5, [sp, #12]\n\t"
    "str r6, [sp, #16]\n\t"
    "str r7, [sp, #20]\n\t"
    "str r8, [sp, #24]\n\t"
    "str r9, [sp, #28]\n\t"
    "str r10, [sp, #36]\n"
    "1:\n\t" /* a pixel */
    "ldr r3, [sp, #4]\n\t"
    "ldmia r3, {r4, r5, r6, r7, r8, r9, r10, r11}\n\t"
    "ldr r0, [sp, #0]\n\t"
    "ldr r1, [sp, #32]\n\t"
    "ldr r2, [sp, #20]\n\t"
    "str r2, [sp, #40]\n"
    "2:\n\t" /* a filter row */
    "ldr r12, [sp, #24]\n\t"
    "tst r12, #1\n\t"
    "beq 3f\n\t"
    DSP_D1_TAP
    "3:\n\t"
    "lsrs r12, r12, #1\n\t"
    "beq 5f\n"
    "4:\n\t"
    DSP_D1_TAP
    DSP_D1_TAP
    "subs r12, r12, #1\n\t"
    "bne 4b\n"
    "5:\n\t"
    "ldr r2, [sp, #28]\n\t"
    "add r0, r0, r2\n\t"
    "ldr r2, [sp, #40]\n\t"
    "subs r2, r2, #1\n\t"
    "str r2, [sp, #40]\n\t"
    "bne 2b\n\t"
    "ldr r12, [sp, #8]\n\t"
    DSP_D1_RQ("r4")
    DSP_D1_RQ("r5")
    DSP_D1_RQ("r6")
    DSP_D1_RQ("r7")
    DSP_D1_RQ("r8")
    DSP_D1_RQ("r9")
    DSP_D1_RQ("r10")
    DSP_D1_RQ("r11")
    "ldr r0, [sp, #12]\n\t"
    "strb r4, [r0]\n\t"
    "strb r5, [r0, #1]\n\t"
    "strb r6, [r0, #2]\n\t"
    "strb r7, [r0, #3]\n\t"
    "strb r8, [r0, #4]\n\t"
    "strb r9, [r0, #5]\n\t"
    "strb r10, [r0, #6]\n\t"
    "strb r11, [r0, #7]\n\t"
    "adds r0, r0, #8\n\t"
    "str r0, [sp, #12]\n\t"
    "ldr r0, [sp, #0]\n\t"
    "ldr r1, [sp, #36]\n\t"
    "add r0, r0, r1\n\t"
    "str r0, [sp, #0]\n\t"
    "ldr r2, [sp, #16]\n\t"
    "subs r2, r2, #1\n\t"
    "str r2, [sp, #16]\n\t"
    "bne 1b\n\t"
    "add sp, sp, #44\n\t"
    "pop {r4, r5, r6, r7, r8, r9, r10, r11, pc}\n\t"
    ".size dsp_dw1_px8, .-dsp_dw1_px8\n\t"
    ".popsection\n");

#else /* the same computation in C (-O0 / -Os builds) */

void dsp_dw1_px8(const dsp_dw1_args *a) {
  const int8_t *x = a->x;
  int8_t *o = a->out;
  for (int32_t n = 0; n < a->n; ++n, x += a->x_step, o += 8) {
    uint32_t acc[8];
    for (int c = 0; c < 8; ++c) acc[c] = (uint32_t)a->start[c];
    const int8_t *xp = x, *wp = a->w;
    for (int32_t fy = 0; fy < a->fh; ++fy, xp += a->row_step) {
      for (int32_t fx = 0; fx < a->fw; ++fx, ++xp, wp += 8) {
        for (int c = 0; c < 8; ++c) acc[c] += (uint32_t)(wp[c] * *xp);
      }
    }
    for (int c = 0; c < 8; ++c) {
      const dsp_dw_row *r = &a->table[c];
      o[c] = (int8_t)__ssat(dsp_rqf_apply((int32_t)acc[c], r->m, r->sh, r->khi), 8);
    }
  }
}

#endif
