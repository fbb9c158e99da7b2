/* arm-dsp: one output pixel of a 3x3 depthwise convolution (depth multiplier 1,
 * no dilation, every tap in the image or in a padded patch), all channel groups
 * of 4, as one assembly function (GCC spills the 4 accumulators, 2 unpacked
 * weights, 2 unpacked inputs and 4 pointers of the loop). Per tap: one LDR of 4
 * inputs, two SXTB16, one LDRD of the prepared weights (dsp_dw3_group), 4
 * SMLABB/SMLATT; the input offset is folded into the group's biases. Per
 * output: the fast rescale of dsp_rqf.h (6 instructions) from the channel's
 * dsp_quad_row; dsp_dw3_px_mixed sends the groups with a channel off the fast
 * rescale to dsp_dw3_rq4 (C, TFLite's general rescale) instead. */
#include "arm_dsp.h"

/* The rescale of one group's 4 accumulators when a channel of the group is off
 * the fast rescale (called from dsp_dw3_px_mixed): TFLite's general one for
 * rows with sh < 0 (shift in khi), the fast one for the others. */
void dsp_dw3_rq4(const int32_t *acc, const dsp_quad_row *row, int8_t *out, int32_t out_offset);
void dsp_dw3_rq4(const int32_t *acc, const dsp_quad_row *row, int8_t *out, int32_t out_offset) {
  for (int i = 0; i < 4; ++i) {
    if (row[i].sh >= 0) {
      out[i] = (int8_t)__ssat(dsp_rqf_apply(acc[i], row[i].m, row[i].sh, row[i].khi), 8);
    } else {
      out[i] = dsp_rq_out(dsp_rq_make(row[i].m, row[i].khi), acc[i], out_offset, -128, 127, true);
    }
  }
}

#if defined(__OPTIMIZE__) && !defined(__OPTIMIZE_SIZE__) && !defined(TFM_DSP_NO_ASM)

_Static_assert(sizeof(dsp_dw3_group) == 92, "dsp_dw3.c's group offsets");
_Static_assert(sizeof(dsp_quad_row) == 16, "dsp_dw3.c's table offsets");

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

/* Frame: [sp] table row, [sp+4] out, [sp+8] groups left, [sp+12] pixels
 * left, [sp+16] x of the pixel, [sp+20] x step, [sp+24] out skip, [sp+28]
 * groups, [sp+32] out offset, [sp+36] table, [sp+40] groups rows, [sp+48]
 * the 4 accumulators for dsp_dw3_rq4. CHECK: a group with a channel off the
 * fast rescale (dsp_dw3_group.slow) is rescaled by dsp_dw3_rq4 (C). */
#define DSP_D3_CHECK_NONE ""
#define DSP_D3_CHECK                                                                         \
  "ldr r8, [r1, #88]\n\t"                                                                   \
  "cmp r8, #0\n\t"                                                                          \
  "bne 7f\n\t"
#define DSP_D3_CAREFUL_NONE ""
#define DSP_D3_CAREFUL                                                                       \
  "7:\n\t"                                                                                  \
  "add r8, sp, #48\n\t"                                                                     \
  "stmia r8, {r4, r5, r6, r7}\n\t"                                                          \
  "push {r0, r1, r2, r3}\n\t" /* the frame is 16 bytes further now */                        \
  "add r0, sp, #64\n\t"                                                                     \
  "ldr r1, [sp, #16]\n\t"                                                                   \
  "ldr r2, [sp, #20]\n\t"                                                                   \
  "ldr r3, [sp, #48]\n\t"                                                                   \
  "bl dsp_dw3_rq4\n\t"                                                                      \
  "pop {r0, r1, r2, r3}\n\t"                                                                \
  "ldr r12, [sp, #0]\n\t"                                                                   \
  "adds r12, r12, #64\n\t"                                                                  \
  "str r12, [sp, #0]\n\t"                                                                   \
  "ldr lr, [sp, #4]\n\t"                                                                    \
  "adds lr, lr, #4\n\t"                                                                     \
  "str lr, [sp, #4]\n\t"                                                                    \
  "b 6b\n\t"
#define DSP_D3_FUNCTION(name, check, careful)                                                \
  __asm__(".pushsection .text." #name ",\"ax\",%progbits\n\t"                               \
          ".balign 4\n\t"                                                                   \
          ".global " #name "\n\t"                                                           \
          ".type " #name ", %function\n\t"                                                  \
          ".thumb_func\n" #name ":\n\t"                                                     \
          "push {r4, r5, r6, r7, r8, r9, r10, r11, lr}\n\t"                                 \
          "sub sp, sp, #68\n\t"                                                             \
          "ldr r11, [r0, #40]\n\t"                                                          \
          "str r11, [sp, #32]\n\t" /* out offset */                                         \
          "ldmia r0, {r1, r2, r3, r4, r5, r6, r7, r8, r9, r10}\n\t"                         \
          "str r1, [sp, #16]\n\t" /* x of the pixel */                                      \
          "str r2, [sp, #40]\n\t" /* groups rows */                                         \
          "str r3, [sp, #36]\n\t" /* table */                                               \
          "str r4, [sp, #4]\n\t"  /* out */                                                 \
          "str r5, [sp, #28]\n\t" /* groups */                                              \
          "str r8, [sp, #12]\n\t" /* pixels */                                              \
          "str r9, [sp, #20]\n\t" /* x step */                                              \
          "str r10, [sp, #24]\n\t" /* out skip */                                           \
          "mov r2, r6\n\t"        /* C */                                                   \
          "sub r3, r7, r6\n"      /* row - C */                                             \
          "0:\n\t"                                                                          \
          "ldr r1, [sp, #36]\n\t"                                                           \
          "str r1, [sp, #0]\n\t"                                                            \
          "ldr r1, [sp, #28]\n\t"                                                           \
          "str r1, [sp, #8]\n\t"                                                            \
          "ldr r1, [sp, #40]\n\t"                                                           \
          "ldr r0, [sp, #16]\n"                                                             \
          "1:\n\t"                                                                          \
          "ldmia r1, {r4, r5, r6, r7}\n\t"                                                  \
          "mov r12, r0\n\t" DSP_D3_ROW(16, 24, 32) "add r12, r12, r3\n\t"                   \
          DSP_D3_ROW(40, 48, 56) "add r12, r12, r3\n\t" DSP_D3_ROW(64, 72, 80)              \
          check                                                                             \
          "ldr r12, [sp, #0]\n\t" DSP_D3_RQ("r4") DSP_D3_RQ("r5") DSP_D3_RQ("r6")           \
          DSP_D3_RQ("r7")                                                                   \
          "str r12, [sp, #0]\n\t"                                                           \
          "ldr lr, [sp, #4]\n\t"                                                            \
          "strb r4, [lr]\n\t"                                                               \
          "strb r5, [lr, #1]\n\t"                                                           \
          "strb r6, [lr, #2]\n\t"                                                           \
          "strb r7, [lr, #3]\n\t"                                                           \
          "adds lr, lr, #4\n\t"                                                             \
          "str lr, [sp, #4]\n"                                                              \
          "6:\n\t"                                                                          \
          "adds r0, r0, #4\n\t"                                                             \
          "adds r1, r1, #92\n\t"                                                            \
          "ldr lr, [sp, #8]\n\t"                                                            \
          "subs lr, lr, #1\n\t"                                                             \
          "str lr, [sp, #8]\n\t"                                                            \
          "bne 1b\n\t"                                                                      \
          "ldr lr, [sp, #4]\n\t" /* next pixel */                                           \
          "ldr r8, [sp, #24]\n\t"                                                           \
          "add lr, lr, r8\n\t"                                                              \
          "str lr, [sp, #4]\n\t"                                                            \
          "ldr r0, [sp, #16]\n\t"                                                           \
          "ldr r8, [sp, #20]\n\t"                                                           \
          "add r0, r0, r8\n\t"                                                              \
          "str r0, [sp, #16]\n\t"                                                           \
          "ldr lr, [sp, #12]\n\t"                                                           \
          "subs lr, lr, #1\n\t"                                                             \
          "str lr, [sp, #12]\n\t"                                                           \
          "bne 0b\n\t"                                                                      \
          "add sp, sp, #68\n\t"                                                             \
          "pop {r4, r5, r6, r7, r8, r9, r10, r11, pc}\n\t"                                  \
          careful                                                                           \
          ".size " #name ", .-" #name "\n\t"                                                \
          ".popsection\n")

DSP_D3_FUNCTION(dsp_dw3_px, DSP_D3_CHECK_NONE, DSP_D3_CAREFUL_NONE);
DSP_D3_FUNCTION(dsp_dw3_px_mixed, DSP_D3_CHECK, DSP_D3_CAREFUL);

#else /* the same computation in C (-O0 / -Os builds) */

static void dsp_dw3_px_c(const dsp_dw3_args *a) {
  int8_t *o = a->out;
  for (int32_t n = 0; n < a->n; ++n, o += a->out_skip) {
  const int8_t *x = a->x + n * a->x_step;
  const dsp_dw3_group *gr = a->gr;
  const dsp_quad_row *row = a->table;
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
    dsp_dw3_rq4(acc, row, o, a->out_offset);
  }
  }
}

void dsp_dw3_px(const dsp_dw3_args *a) { dsp_dw3_px_c(a); }
void dsp_dw3_px_mixed(const dsp_dw3_args *a) { dsp_dw3_px_c(a); }

#endif
