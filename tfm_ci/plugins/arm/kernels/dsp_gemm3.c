/* arm-dsp: the 3-pixel x 1-channel GEMM loop of dsp_matb as one assembly
 * function, for the common case (k % 4 == 0, a full block, every channel on
 * the fast rescale of dsp_rqf.h, activation range the whole int8 range, a
 * bias). GCC keeps the channel loop's state in registers the inner loop needs
 * and spills it on every channel; here it lives in a small stack frame and
 * the inner loop has all 14 registers (dsp_gemm3_s8_k: filter rows k apart). Per group of 4 positions: one LDR + two
 * SXTB16 for the weights, one LDM for the three pixels' 6 column words, 6
 * SMLAD (10 instructions per 12 MACs, unrolled 4 times). Per channel: its bias
 * and one table row {multiplier, high nudge} (dsp_gemm_row: 8 bytes of
 * scratch per channel; the final shift is recovered from the nudge), then 6
 * instructions per output for the rescale (the dsp_rqf_apply sequence: AND /
 * ORR / ADD-ASR / SMLAL / ASR, then SSAT). dsp_gemm3_w16: the same loop on
 * an offline prep record CONV_W16 (arm_dsp.h), per channel its bias, its row
 * already as int16 pairs (one LDM of 2 words per group instead of LDR + two
 * SXTB16: 8 instructions per 12 MACs) and its rescale words (one LDM: no
 * table or bias pointers to keep in the frame). Bit-exact: dsp_rqf.h. */
#include "arm_dsp.h"

#if defined(__OPTIMIZE__) && !defined(__OPTIMIZE_SIZE__) && !defined(TFM_DSP_NO_ASM)

/* w r0, column r1, groups r2, accumulators r3 / r11 / lr, weights r7 / r12 */
#define DSP_GA_GROUP_W16                                                                    \
  "ldmia r0!, {r7, r12}\n\t" /* the weights already int16: (w0, w2), (w1, w3) */            \
  "ldmia r1!, {r4, r5, r6, r8, r9, r10}\n\t"                                                \
  "smlad r3, r7, r4, r3\n\t"                                                                \
  "smlad r3, r12, r5, r3\n\t"                                                               \
  "smlad r11, r7, r6, r11\n\t"                                                              \
  "smlad r11, r12, r8, r11\n\t"                                                             \
  "smlad lr, r7, r9, lr\n\t"                                                                \
  "smlad lr, r12, r10, lr\n\t"
#define DSP_GA_GROUP                                                                        \
  "ldr r7, [r0], #4\n\t"                                                                    \
  "sxtb16 r12, r7\n\t"                                                                      \
  "sxtb16 r7, r7, ror #8\n\t"                                                               \
  "ldmia r1!, {r4, r5, r6, r8, r9, r10}\n\t"                                                \
  "smlad r3, r12, r4, r3\n\t"                                                               \
  "smlad r3, r7, r5, r3\n\t"                                                                \
  "smlad r11, r12, r6, r11\n\t"                                                             \
  "smlad r11, r7, r8, r11\n\t"                                                              \
  "smlad lr, r12, r9, lr\n\t"                                                               \
  "smlad lr, r7, r10, lr\n\t"

/* x (an accumulator register) -> its rescaled, saturated int8 value in place:
 * r4 multiplier, r5 final shift, r6 high nudge, r7 / r8 the 64-bit sum. */
#define DSP_GA_RQ(x)                                                                        \
  "and r7, " x ", #0x80000000\n\t"                                                          \
  "orr r7, r7, #0x40000000\n\t"                                                             \
  "add r8, r6, " x ", asr #31\n\t"                                                          \
  "smlal r7, r8, " x ", r4\n\t"                                                             \
  "asr r8, r8, r5\n\t"                                                                      \
  "ssat " x ", #8, r8\n\t"

/* Frame: [sp] table row, [sp+4] col, [sp+8] out, [sp+12] out + n_oc,
 * [sp+16] iterations (groups + 3) / 4, [sp+20] groups % 4 (the entry),
 * [sp+24] bias, [sp+28] out stride, [sp+32] twice that, [sp+36] next filter
 * row, [sp+40] row length (ROWS: rows k apart, not 4 * groups). */
#define DSP_GA_ROWS_NONE ""
#define DSP_GA_ROWS                                                                         \
  "ldrd r0, r1, [sp, #36]\n\t"                                                             \
  "add r1, r0, r1\n\t"                                                                      \
  "str r1, [sp, #36]\n\t"
#define DSP_GA_FUNCTION(name, rows, group)                                                  \
  __asm__(".pushsection .text." #name ",\"ax\",%progbits\n\t"                               \
          ".balign 4\n\t"                                                                   \
          ".global " #name "\n\t"                                                           \
          ".type " #name ", %function\n\t"                                                  \
          ".thumb_func\n" #name ":\n\t"                                                     \
          "push {r4, r5, r6, r7, r8, r9, r10, r11, lr}\n\t"                                 \
          "sub sp, sp, #44\n\t"                                                             \
          "ldr r1, [r0, #28]\n\t" /* bias */                                                \
          "str r1, [sp, #24]\n\t"                                                           \
          "ldr r1, [r0, #32]\n\t" /* k */                                                   \
          "str r1, [sp, #40]\n\t"                                                           \
          "ldmia r0, {r1, r2, r3, r4, r5, r6, r7}\n\t" /* w table col out n_oc g stride */  \
          "str r1, [sp, #36]\n\t"                                                           \
          "str r2, [sp, #0]\n\t"                                                            \
          "str r3, [sp, #4]\n\t"                                                            \
          "str r4, [sp, #8]\n\t"                                                            \
          "add r5, r4, r5\n\t"                                                              \
          "str r5, [sp, #12]\n\t" /* out + n_oc */                                          \
          /* 4 groups per iteration, (g + 3) / 4 of them; the first enters at   */          \
          /* group 4 - g % 4 (TBB on g % 4) */                                                \
          "and r12, r6, #3\n\t"                                                             \
          "str r12, [sp, #20]\n\t"                                                          \
          "adds r6, r6, #3\n\t"                                                             \
          "lsrs r6, r6, #2\n\t"                                                             \
          "str r6, [sp, #16]\n\t"                                                           \
          "str r7, [sp, #28]\n\t"                                                           \
          "lsls r7, r7, #1\n\t"                                                             \
          "str r7, [sp, #32]\n\t"                                                           \
          "mov r0, r1\n"                                                                    \
          "1:\n\t" rows                                                                     \
          "ldr r2, [sp, #24]\n\t"                                                           \
          "ldr r3, [r2], #4\n\t" /* the bias starts every accumulator */                    \
          "str r2, [sp, #24]\n\t"                                                           \
          "mov r11, r3\n\t"                                                                 \
          "mov lr, r3\n\t"                                                                  \
          "ldr r1, [sp, #4]\n\t"                                                            \
          "ldrd r2, r12, [sp, #16]\n\t" /* iterations, entry */                             \
          "tbb [pc, r12]\n"                                                                  \
          "9:\n\t"                                                                          \
          ".byte (3f - 9b) / 2, (6f - 9b) / 2, (5f - 9b) / 2, (4f - 9b) / 2\n\t"              \
          ".balign 2\n"                                                                     \
          "3:\n\t" group                                                                    \
          "4:\n\t" group                                                                    \
          "5:\n\t" group                                                                    \
          "6:\n\t" group                                                                    \
          "subs r2, r2, #1\n\t"                                                             \
          "bne 3b\n\t"                                                                      \
          "ldr r2, [sp, #0]\n\t"                                                            \
          "ldmia r2!, {r4, r6}\n\t" /* multiplier, high nudge */                            \
          "str r2, [sp, #0]\n\t"                                                            \
          "rbit r5, r6\n\t" /* final shift = trailing zeros of the nudge + 1 */             \
          "clz r5, r5\n\t"                                                                  \
          "adds r5, r5, #1\n\t" DSP_GA_RQ("r3") DSP_GA_RQ("r11") DSP_GA_RQ("lr")            \
          "ldrd r2, r4, [sp, #8]\n\t" /* out; the channel loop ends at out + n_oc */        \
          "ldrd r1, r12, [sp, #28]\n\t" /* out stride, twice that */                        \
          "strb r3, [r2]\n\t"                                                               \
          "strb r11, [r2, r1]\n\t"                                                          \
          "strb lr, [r2, r12]\n\t"                                                          \
          "adds r2, r2, #1\n\t"                                                             \
          "str r2, [sp, #8]\n\t"                                                            \
          "cmp r2, r4\n\t"                                                                  \
          "bne 1b\n\t"                                                                      \
          "add sp, sp, #44\n\t"                                                             \
          "pop {r4, r5, r6, r7, r8, r9, r10, r11, pc}\n\t"                                  \
          ".size " #name ", .-" #name "\n\t"                                                \
          ".popsection\n")

DSP_GA_FUNCTION(dsp_gemm3_s8, DSP_GA_ROWS_NONE, DSP_GA_GROUP);
DSP_GA_FUNCTION(dsp_gemm3_s8_k, DSP_GA_ROWS, DSP_GA_GROUP);

/* dsp_gemm3_w16: the channel stream of a CONV_W16 record (arm_dsp.h), one
 * pointer r0 over bias, int16 row and rescale words. Frame: [sp] col,
 * [sp+4] iterations, [sp+8] entry, [sp+12] out, [sp+16] out + n_oc,
 * [sp+20] out stride, [sp+24] twice that. */
__asm__(".pushsection .text.dsp_gemm3_w16,\"ax\",%progbits\n\t"
        ".balign 4\n\t"
        ".global dsp_gemm3_w16\n\t"
        ".type dsp_gemm3_w16, %function\n\t"
        ".thumb_func\n"
        "dsp_gemm3_w16:\n\t"
        "push {r4, r5, r6, r7, r8, r9, r10, r11, lr}\n\t"
        "sub sp, sp, #28\n\t"
        "mov r12, r0\n\t"
        "ldmia r12, {r0, r1, r2, r3, r4, r5, r6}\n\t" /* w table col out n_oc g stride */
        "str r2, [sp, #0]\n\t"
        "and r12, r5, #3\n\t"
        "str r12, [sp, #8]\n\t"
        "adds r5, r5, #3\n\t"
        "lsrs r5, r5, #2\n\t"
        "str r5, [sp, #4]\n\t"
        "str r3, [sp, #12]\n\t"
        "add r4, r3, r4\n\t"
        "str r4, [sp, #16]\n\t"
        "str r6, [sp, #20]\n\t"
        "lsls r6, r6, #1\n\t"
        "str r6, [sp, #24]\n"
        "1:\n\t"
        "ldr r3, [r0], #4\n\t" /* the bias starts every accumulator */
        "mov r11, r3\n\t"
        "mov lr, r3\n\t"
        "ldr r1, [sp, #0]\n\t"
        "ldrd r2, r12, [sp, #4]\n\t" /* iterations, entry */
        "tbb [pc, r12]\n"
        "9:\n\t"
        ".byte (3f - 9b) / 2, (6f - 9b) / 2, (5f - 9b) / 2, (4f - 9b) / 2\n\t"
        ".balign 2\n"
        "3:\n\t" DSP_GA_GROUP_W16
        "4:\n\t" DSP_GA_GROUP_W16
        "5:\n\t" DSP_GA_GROUP_W16
        "6:\n\t" DSP_GA_GROUP_W16
        "subs r2, r2, #1\n\t"
        "bne 3b\n\t"
        "ldmia r0!, {r4, r5, r6}\n\t" /* multiplier, final shift, high nudge */
        DSP_GA_RQ("r3") DSP_GA_RQ("r11") DSP_GA_RQ("lr")
        "ldrd r2, r4, [sp, #12]\n\t" /* out; the channel loop ends at out + n_oc */
        "ldrd r1, r12, [sp, #20]\n\t" /* out stride, twice that */
        "strb r11, [r2, r1]\n\t"
        "strb lr, [r2, r12]\n\t"
        "strb r3, [r2], #1\n\t"
        "str r2, [sp, #12]\n\t"
        "cmp r2, r4\n\t"
        "bne 1b\n\t"
        "add sp, sp, #28\n\t"
        "pop {r4, r5, r6, r7, r8, r9, r10, r11, pc}\n\t"
        ".size dsp_gemm3_w16, .-dsp_gemm3_w16\n\t"
        ".popsection\n");

#else /* the same computation in C (-O0 / -Os builds) */

static void dsp_gemm3_c(const dsp_gemm_args *a, int32_t row_len) {
  const dsp_gemm_row *row = a->table;
  int8_t *out = a->out;
  for (int32_t oc = 0; oc < a->n_oc; ++oc, ++row, ++out) {
    const int8_t *w = a->w + oc * row_len;
    const int32_t b = a->bias[oc], sh = __builtin_ctz((uint32_t)row->khi) + 1;
    int32_t s[DSP_PIX] = {b, b, b};
    const dsp_word *c = (const dsp_word *)a->col;
    for (int32_t g = a->g; g > 0; --g, c += 2 * DSP_PIX) {
      const int32_t v = dsp_load4(w);
      w += 4;
      const int32_t w02 = dsp_sx02(v), w13 = dsp_sx13(v);
      for (int q = 0; q < DSP_PIX; ++q) {
        s[q] = __smlad(w13, c[2 * q + 1], __smlad(w02, c[2 * q], s[q]));
      }
    }
    for (int q = 0; q < DSP_PIX; ++q) {
      out[q * a->stride] = (int8_t)__ssat(dsp_rqf_apply(s[q], row->m, sh, row->khi), 8);
    }
  }
}

void dsp_gemm3_s8(const dsp_gemm_args *a) { dsp_gemm3_c(a, 4 * a->g); }
void dsp_gemm3_s8_k(const dsp_gemm_args *a) { dsp_gemm3_c(a, a->k); }

void dsp_gemm3_w16(const dsp_gemm_args *a) {
  const dsp_word *w = (const dsp_word *)(const void *)a->w; /* the channel stream */
  int8_t *out = a->out;
  for (int32_t oc = 0; oc < a->n_oc; ++oc, ++out) {
    const int32_t b = *w++;
    int32_t s[DSP_PIX] = {b, b, b};
    const dsp_word *c = (const dsp_word *)a->col;
    for (int32_t g = a->g; g > 0; --g, c += 2 * DSP_PIX, w += 2) {
      for (int q = 0; q < DSP_PIX; ++q) {
        s[q] = __smlad(w[1], c[2 * q + 1], __smlad(w[0], c[2 * q], s[q]));
      }
    }
    const int32_t m = w[0], sh = w[1], khi = w[2];
    w += 3;
    for (int q = 0; q < DSP_PIX; ++q) {
      out[q * a->stride] = (int8_t)__ssat(dsp_rqf_apply(s[q], m, sh, khi), 8);
    }
  }
}

#endif

bool dsp_gemm_table(dsp_gemm_row *table, int32_t n_oc, const dsp_out_params *p) {
  if (!dsp_full_range(p->act_min, p->act_max) || p->bias == NULL) return false;
  for (int32_t oc = 0; oc < n_oc; ++oc) {
    const int32_t m = p->multiplier[oc];
    const int s = dsp_rqf_shift(m, p->shift[oc]);
    if (!dsp_rqf_ok(m, s)) return false;
    table[oc].m = m;
    /* (2 * offset + 1) << (sh - 1): its trailing zeros give sh back */
    table[oc].khi = dsp_rqf_khi(s, p->out_offset);
  }
  return true;
}
