/* arm-dsp: pairs of output pixels of one channel of a 3x3 depthwise
 * convolution (dsp_dw3_layer.c) as assembly. The channel's constants are
 * copied into the frame once per call and reloaded per pair with one LDM
 * (weights and the bias twice) and two instructions (rescale, output step,
 * end), so the loop has all 14 registers. Per pair and filter row, stride 1:
 * one LDRD of A = (x0, x1), B = (x2, x3) and SMLAD / SMLATB / SMLABT / SMLAD;
 * stride 2: LDRD + LDR of C = (x4, x5) and SMLAD / SMLAD / SMLABT / SMLABT.
 * Per output the fast rescale of dsp_rqf.h (6 instructions). Bit-exact:
 * dsp_rqf.h. */
#include "arm_dsp.h"

#include <stddef.h>

_Static_assert(offsetof(dsp_dw3_pairs, pair_bytes) == 44 && offsetof(dsp_dw3_pairs, out) == 68,
               "dsp_dw3.c's frame offsets");

#if defined(__OPTIMIZE__) && !defined(__OPTIMIZE_SIZE__) && !defined(TFM_DSP_NO_ASM)

/* s0 r10, s1 r11; row pointer p, weights w01 / w12 */
#define DSP_P3_ROW_S1(p, w01, w12)                                                            \
  "ldrd r12, lr, [" p "], #4\n\t"                                                             \
  "smlad r10, r12, " w01 ", r10\n\t"                                                          \
  "smlatb r11, r12, " w01 ", r11\n\t"                                                         \
  "smlabt r10, lr, " w12 ", r10\n\t"                                                          \
  "smlad r11, lr, " w12 ", r11\n\t"
#define DSP_P3_ROW_S2(p, w01, w12)                                                            \
  "ldrd r12, lr, [" p "], #8\n\t"                                                             \
  "smlad r10, r12, " w01 ", r10\n\t"                                                          \
  "smlad r11, lr, " w01 ", r11\n\t"                                                           \
  "smlabt r10, lr, " w12 ", r10\n\t"                                                          \
  "ldr r12, [" p "]\n\t"                                                                      \
  "smlabt r11, r12, " w12 ", r11\n\t"
/* x -> its rescaled, saturated int8 value: r4 m, r5 sh, r6 khi, temps r12 / lr */
#define DSP_P3_RQ(x)                                                                          \
  "and r12, " x ", #0x80000000\n\t"                                                           \
  "orr r12, r12, #0x40000000\n\t"                                                             \
  "add lr, r6, " x ", asr #31\n\t"                                                            \
  "smlal r12, lr, " x ", r4\n\t"                                                              \
  "asr lr, lr, r5\n\t"                                                                        \
  "ssat " x ", #8, lr\n\t"

/* Frame: [sp] w[6], [sp+24] bias, [sp+28] bias again (one LDM starts both
 * accumulators), [sp+32] m, [sp+36] sh, [sp+40] khi, [sp+44] ch, [sp+48] the
 * row's end (r0 after its last pair; one LDM for these 5), [sp+52] row step,
 * [sp+56] row length, [sp+60] output row, [sp+64] rows left, [sp+68] the
 * row's r0, [sp+72] its output, [sp+76] pair bytes. */
#define DSP_P3_FUNCTION(name, row)                                                            \
  __asm__(".pushsection .text." #name ",\"ax\",%progbits\n\t"                                 \
          ".balign 4\n\t"                                                                     \
          ".global " #name "\n\t"                                                             \
          ".type " #name ", %function\n\t"                                                    \
          ".thumb_func\n" #name ":\n\t"                                                       \
          "push {r4, r5, r6, r7, r8, r9, r10, r11, lr}\n\t"                                   \
          "sub sp, sp, #84\n\t"                                                               \
          "mov r12, r0\n\t"                                                                   \
          "ldmia r12!, {r0, r1, r2, r3, r4, r5, r6, r7, r8, r9, r10, r11}\n\t"                \
          "stmia sp, {r0, r1, r2, r3, r4, r5, r6}\n\t"                                        \
          "str r6, [sp, #28]\n\t"                                                             \
          "add r0, sp, #32\n\t"                                                               \
          "stmia r0, {r7, r8, r9, r10}\n\t"                                                   \
          "str r11, [sp, #76]\n\t"                                                            \
          "ldmia r12, {r0, r1, r2, r3, r4, r5}\n\t"                                           \
          "add r6, sp, #52\n\t"                                                               \
          "stmia r6, {r0, r1, r2, r3}\n\t"                                                    \
          "mov r0, r4\n\t"                                                                    \
          "mov r3, r5\n"                                                                      \
          "2:\n\t" /* a row: r0 and r3 at its first pair */                                   \
          "strd r0, r3, [sp, #68]\n\t"                                                        \
          "ldr r4, [sp, #56]\n\t"                                                             \
          "add r1, r0, r4\n\t"                                                                \
          "add r2, r1, r4\n\t"                                                                \
          "ldr r4, [sp, #76]\n\t"                                                             \
          "add r4, r0, r4\n\t"                                                                \
          "str r4, [sp, #48]\n"                                                               \
          "1:\n\t"                                                                            \
          "ldmia sp, {r4, r5, r6, r7, r8, r9, r10, r11}\n\t"                                  \
          row("r0", "r4", "r5") row("r1", "r6", "r7") row("r2", "r8", "r9")                   \
          "add r4, sp, #32\n\t"                                                               \
          "ldmia r4, {r4, r5, r6, r7, r8}\n\t" /* m sh khi ch end */ DSP_P3_RQ("r10")         \
          DSP_P3_RQ("r11")                                                                    \
          "strb r10, [r3]\n\t"                                                                \
          "strb r11, [r3, r7]\n\t"                                                            \
          "add r3, r3, r7, lsl #1\n\t"                                                        \
          "cmp r0, r8\n\t"                                                                    \
          "bne 1b\n\t"                                                                        \
          "ldrd r0, r3, [sp, #68]\n\t"                                                        \
          "ldrd r4, r5, [sp, #52]\n\t" /* row step, row length */                             \
          "add r0, r0, r4\n\t"                                                                \
          "ldrd r4, r5, [sp, #60]\n\t" /* output row, rows left */                            \
          "add r3, r3, r4\n\t"                                                                \
          "subs r5, r5, #1\n\t"                                                               \
          "str r5, [sp, #64]\n\t"                                                             \
          "bne 2b\n\t"                                                                        \
          "add sp, sp, #84\n\t"                                                               \
          "pop {r4, r5, r6, r7, r8, r9, r10, r11, pc}\n\t"                                    \
          ".size " #name ", .-" #name "\n\t"                                                  \
          ".popsection\n")

DSP_P3_FUNCTION(dsp_dw3_pairs_s1, DSP_P3_ROW_S1);
DSP_P3_FUNCTION(dsp_dw3_pairs_s2, DSP_P3_ROW_S2);

#else /* the same computation in C (-O0 / -Os builds) */

static void dsp_dw3_pairs_c(const dsp_dw3_pairs *a, int32_t sw) {
  const int8_t *row0 = (const int8_t *)a->r0;
  int8_t *orow = a->out;
  for (int32_t y = 0; y < a->rows; ++y, row0 += a->row_step, orow += a->out_row) {
    const dsp_word *p[3] = {(const dsp_word *)row0, (const dsp_word *)(row0 + a->len_bytes),
                            (const dsp_word *)(row0 + 2 * a->len_bytes)};
    const dsp_word *end = (const dsp_word *)(row0 + a->pair_bytes);
    int8_t *o = orow;
    do {
      int32_t s0 = a->bias, s1 = a->bias;
      for (int r = 0; r < 3; ++r) {
        const int32_t w01 = a->w[2 * r], w12 = a->w[2 * r + 1];
        const int32_t A = p[r][0], B = p[r][1];
        if (sw == 1) {
          s0 = __smlabt(B, w12, __smlad(A, w01, s0));
          s1 = __smlad(B, w12, __smlatb(A, w01, s1));
        } else {
          s0 = __smlabt(B, w12, __smlad(A, w01, s0));
          s1 = __smlabt(p[r][2], w12, __smlad(B, w01, s1));
        }
        p[r] += sw;
      }
      o[0] = (int8_t)__ssat(dsp_rqf_apply(s0, a->m, a->sh, a->khi), 8);
      o[a->ch] = (int8_t)__ssat(dsp_rqf_apply(s1, a->m, a->sh, a->khi), 8);
      o += 2 * a->ch;
    } while (p[0] != end);
  }
}

void dsp_dw3_pairs_s1(const dsp_dw3_pairs *a) { dsp_dw3_pairs_c(a, 1); }
void dsp_dw3_pairs_s2(const dsp_dw3_pairs *a) { dsp_dw3_pairs_c(a, 2); }

#endif
