/* arm-dsp: a run of output pixels of a 3x3 depthwise convolution (depth
 * multiplier 1, no dilation, every tap in the image or in a padded patch) for
 * one group of 4 channels, as one assembly function (GCC spills the 4
 * accumulators, 2 unpacked weights, 2 unpacked inputs and the pointers of the
 * loop). The group's constants (dsp_dw3_group: biases, the 9 taps' weights
 * unpacked, the rescale constants) are built by the caller on its stack; the
 * inputs come from the caller's window of unpacked (x + offset) values. Per
 * tap: one LDRD of 4 inputs, one LDRD of weights, 4 SMLABB/SMLATT. Per
 * output: the fast rescale of dsp_rqf.h (6 instructions); dsp_dw3_run_mixed
 * sends a group with a channel off the fast rescale to dsp_dw3_rq4 (C,
 * TFLite's general rescale) instead. */
#include "arm_dsp.h"

_Static_assert(sizeof(dsp_dw3_group) == 140, "dsp_dw3.c's group offsets");

void dsp_dw3_rq4(const int32_t *acc, const dsp_dw3_group *gr, int8_t *out, int32_t out_offset);
void dsp_dw3_rq4(const int32_t *acc, const dsp_dw3_group *gr, int8_t *out, int32_t out_offset) {
  for (int i = 0; i < 4; ++i) {
    const int32_t m = gr->rq[3 * i], sh = gr->rq[3 * i + 1], khi = gr->rq[3 * i + 2];
    if (sh >= 0) {
      out[i] = (int8_t)__ssat(dsp_rqf_apply(acc[i], m, sh, khi), 8);
    } else { /* khi holds TFLite's shift */
      out[i] = dsp_rq_out(dsp_rq_make(m, khi), acc[i], out_offset, -128, 127, true);
    }
  }
}

#if defined(__OPTIMIZE__) && !defined(__OPTIMIZE_SIZE__) && !defined(TFM_DSP_NO_ASM)

#define DSP_STR_(x) #x
#define DSP_STR(x) DSP_STR_(x)
#define DSP_D3_TAP(t)                                                                        \
  "ldrd r8, r9, [r1, #" DSP_STR(t) "]\n\t"                                                  \
  "smlabb r4, r10, r8, r4\n\t"                                                              \
  "smlatt r6, r10, r8, r6\n\t"                                                              \
  "smlabb r5, r11, r9, r5\n\t"                                                              \
  "smlatt r7, r11, r9, r7\n\t"
/* one filter row: the unpacked inputs (x + offset) of taps at r12, r12 + 8,
 * r12 + 16 (dsp_dw3_args: 8 bytes per window column) */
#define DSP_D3_ROW(t0, t1, t2)                                                               \
  "ldrd r10, r11, [r12]\n\t" DSP_D3_TAP(t0)                                                 \
  "ldrd r10, r11, [r12, #8]\n\t" DSP_D3_TAP(t1)                                             \
  "ldrd r10, r11, [r12, #16]\n\t" DSP_D3_TAP(t2)
#define DSP_D3_RQ(a)                                                                         \
  "ldmia r12!, {r9, r10, r11}\n\t" /* m, sh, khi */                                          \
  "and lr, " a ", #0x80000000\n\t"                                                          \
  "orr lr, lr, #0x40000000\n\t"                                                             \
  "add r11, r11, " a ", asr #31\n\t"                                                        \
  "smlal lr, r11, " a ", r9\n\t"                                                            \
  "asr r11, r11, r10\n\t"                                                                   \
  "ssat " a ", #8, r11\n\t"

/* Frame: [sp] out, [sp+8] x step, [sp+12] out step,
 * [sp+16] out offset, [sp+24] the 4 accumulators for dsp_dw3_rq4.
 * Registers: r0 x of the pixel, r1 the group, r2 pixels left, r3 the
 * window's row bytes. */
#define DSP_D3_CHECK_NONE ""
#define DSP_D3_CHECK                                                                         \
  "ldr r8, [r1, #136]\n\t"                                                                  \
  "cmp r8, #0\n\t"                                                                          \
  "bne 7f\n\t"
#define DSP_D3_CAREFUL_NONE ""
#define DSP_D3_CAREFUL                                                                       \
  "7:\n\t"                                                                                  \
  "add r8, sp, #24\n\t"                                                                     \
  "stmia r8, {r4, r5, r6, r7}\n\t"                                                          \
  "push {r0, r1, r2, r3}\n\t" /* the frame is 16 bytes further now */                        \
  "add r0, sp, #40\n\t"                                                                     \
  "ldr r2, [sp, #16]\n\t"                                                                   \
  "ldr r3, [sp, #32]\n\t"                                                                   \
  "bl dsp_dw3_rq4\n\t"                                                                      \
  "pop {r0, r1, r2, r3}\n\t"                                                                \
  "b 6b\n\t"
#define DSP_D3_FUNCTION(name, check, careful)                                                \
  __asm__(".pushsection .text." #name ",\"ax\",%progbits\n\t"                               \
          ".balign 4\n\t"                                                                   \
          ".global " #name "\n\t"                                                           \
          ".type " #name ", %function\n\t"                                                  \
          ".thumb_func\n" #name ":\n\t"                                                     \
          "push {r4, r5, r6, r7, r8, r9, r10, r11, lr}\n\t"                                 \
          "sub sp, sp, #44\n\t"                                                             \
          "ldmia r0, {r1, r2, r3, r4, r5, r6, r7, r8, r9}\n\t"                              \
          "str r3, [sp, #0]\n\t"  /* out */                                                 \
          "str r5, [sp, #8]\n\t"  /* x step */                                              \
          "str r6, [sp, #12]\n\t" /* out step */                                            \
          "str r9, [sp, #16]\n\t" /* out offset */                                          \
          "mov r0, r1\n\t"        /* x */                                                   \
          "mov r1, r2\n\t"        /* group */                                               \
          "mov r2, r4\n\t"        /* pixels */                                              \
          "mov r3, r8\n"          /* row bytes */                                           \
          "1:\n\t"                                                                          \
          "ldmia r1, {r4, r5, r6, r7}\n\t"                                                  \
          "mov r12, r0\n\t" DSP_D3_ROW(16, 24, 32) "add r12, r12, r3\n\t"                   \
          DSP_D3_ROW(40, 48, 56) "add r12, r12, r3\n\t" DSP_D3_ROW(64, 72, 80)              \
          check                                                                             \
          "add r12, r1, #88\n\t" DSP_D3_RQ("r4") DSP_D3_RQ("r5") DSP_D3_RQ("r6")            \
          DSP_D3_RQ("r7")                                                                   \
          "ldr lr, [sp, #0]\n\t"                                                            \
          "strb r4, [lr]\n\t"                                                               \
          "strb r5, [lr, #1]\n\t"                                                           \
          "strb r6, [lr, #2]\n\t"                                                           \
          "strb r7, [lr, #3]\n"                                                             \
          "6:\n\t"                                                                          \
          "ldr lr, [sp, #0]\n\t"                                                            \
          "ldr r8, [sp, #12]\n\t"                                                           \
          "add lr, lr, r8\n\t"                                                              \
          "str lr, [sp, #0]\n\t"                                                            \
          "ldr r8, [sp, #8]\n\t"                                                            \
          "add r0, r0, r8\n\t"                                                              \
          "subs r2, r2, #1\n\t" /* pixels left */                                           \
          "bne 1b\n\t"                                                                      \
          "add sp, sp, #44\n\t"                                                             \
          "pop {r4, r5, r6, r7, r8, r9, r10, r11, pc}\n\t"                                  \
          careful                                                                           \
          ".size " #name ", .-" #name "\n\t"                                                \
          ".popsection\n")

DSP_D3_FUNCTION(dsp_dw3_run, DSP_D3_CHECK_NONE, DSP_D3_CAREFUL_NONE);
DSP_D3_FUNCTION(dsp_dw3_run_mixed, DSP_D3_CHECK, DSP_D3_CAREFUL);

#else /* the same computation in C (-O0 / -Os builds) */

void dsp_dw3_run(const dsp_dw3_args *a) {
  const dsp_dw3_group *gr = a->gr;
  const int8_t *x = a->x;
  int8_t *o = a->out;
  for (int32_t n = 0; n < a->n; ++n, x += a->x_step, o += a->out_step) {
    int32_t acc[4] = {gr->bias[0], gr->bias[1], gr->bias[2], gr->bias[3]};
    for (int t = 0; t < 9; ++t) {
      const dsp_word *v = (const dsp_word *)(x + (t / 3) * a->row + (t % 3) * 8);
      const int32_t x02 = v[0], x13 = v[1];
      acc[0] = __smlabb(x02, gr->w[2 * t], acc[0]);
      acc[2] = __smlatt(x02, gr->w[2 * t], acc[2]);
      acc[1] = __smlabb(x13, gr->w[2 * t + 1], acc[1]);
      acc[3] = __smlatt(x13, gr->w[2 * t + 1], acc[3]);
    }
    dsp_dw3_rq4(acc, gr, o, a->out_offset);
  }
}

void dsp_dw3_run_mixed(const dsp_dw3_args *a) { dsp_dw3_run(a); }

#endif
