/* Shared pieces of the arm-dsp kernel set (Armv7E-M / Armv8-M DSP extension):
 * SIMD helpers over GCC's ACLE intrinsics, the im2col column formats (the
 * column pair below; the 3-pixel column block further down), the matrix
 * kernels and the interfaces of the assembly kernels (dsp_gemm3.c: CONV_2D,
 * dsp_dw3.c / dsp_dw1.c: DEPTHWISE_CONV_2D, dsp_fc4.c: FULLY_CONNECTED).
 *
 * Exactness: every product w * (x + input_offset) is formed exactly in a
 * 16-bit lane (|w| <= 128, |x + offset| <= 255), SMLAD/SMLABB add it into a
 * 32-bit accumulator modulo 2^32, together with the bias.
 * Integer addition modulo 2^32 does not depend on the order, so every
 * accumulator equals the reference kernel's whenever the reference does not
 * overflow (and wraps like it in practice when it does); the rescale is
 * dsp_requant.h's or dsp_rqf.h's, bit-identical to TFLite's. Where the input
 * offset is folded into a starting accumulator (offset * sum of weights), the
 * sum is the same modulo 2^32 because every tap is then in the image.
 *
 * Column pair format (im2col of two output pixels a, b; the one-input-channel
 * depthwise fallback): each pixel's patch
 * flattened in the filter's (fy, fx, channel) order, input offset added, as
 * int16. Whole groups of 4 positions (p < k4 = k & ~3) take 16 bytes:
 * a(x0, x2) a(x1, x3) b(x0, x2) b(x1, x3) -- the order SXTB16 / SXTB16-ROR8
 * unpack 4 packed int8 weights in, so the inner loop needs no repacking and
 * reads both pixels with one LDM. The k - k4 tail follows: a's in natural
 * order, then b's at +4. Padding taps are 0 (the reference skips them: the
 * same sum). */
#ifndef TFM_ARM_DSP_H
#define TFM_ARM_DSP_H

#include <arm_acle.h>
#include <stdbool.h>
#include <stdint.h>

#include "dsp_requant.h"
#include "dsp_rqf.h"

#if !defined(__ARM_FEATURE_DSP) || !defined(__ARM_FEATURE_SIMD32)
#error "kernel set arm-dsp needs the Arm DSP extension (SMLAD, SXTB16): Cortex-M4/M7/M33/M55"
#endif

/* Hot inner loops stay out of line: inlined into a loop nest, GCC spills. */
#define TFM_DSP_HOT __attribute__((noinline))

/* Unaligned-safe 32-bit load (one LDR); plain memcpy is a call when freestanding. */
static inline int32_t dsp_load4(const void *p) {
  int32_t v;
  __builtin_memcpy(&v, p, sizeof v);
  return v;
}

/* `value` in both int16 lanes. */
static inline int32_t dsp_dup16(int32_t value) {
  return (int32_t)(((uint32_t)value & 0xFFFFu) | ((uint32_t)value << 16));
}

/* Lanes (b0 + o, b2 + o) and (b1 + o, b3 + o) of 4 packed int8 (o = offset2 lanes). */
static inline int32_t dsp_ext02(int32_t offset2, int32_t v) { return (int32_t)__sxtab16(offset2, v); }
static inline int32_t dsp_ext13(int32_t offset2, int32_t v) {
  int32_t r;
  /* GCC does not fold the rotation into SXTAB16 by itself (and GCC 12's
   * arm_acle.h has no __ror). */
  __asm__("sxtab16 %0, %1, %2, ror #8" : "=r"(r) : "r"(offset2), "r"(v));
  return r;
}
/* Lanes (b0, b2) and (b1, b3) of 4 packed int8. */
static inline int32_t dsp_sx02(int32_t v) { return (int32_t)__sxtb16(v); }
static inline int32_t dsp_sx13(int32_t v) {
  int32_t r;
  __asm__("sxtb16 %0, %1, ror #8" : "=r"(r) : "r"(v));
  return r;
}

/* A 32-bit word of a column (two int16 lanes), read without breaking aliasing rules. */
typedef int32_t dsp_word __attribute__((may_alias, aligned(4)));

/* Rescaled x + out_offset, clamped to [act_min, act_max], as int8. `full`
 * (act range = the whole int8 range, e.g. RELU6 with zero point -128) clamps
 * with one SSAT: the same value. */
static inline int8_t dsp_rq_out(dsp_rq q, int32_t x, int32_t out_offset, int32_t act_min,
                                int32_t act_max, bool full) {
  const int32_t v = (int32_t)((uint32_t)dsp_rq_apply(q, x) + (uint32_t)out_offset);
  if (full) return (int8_t)__ssat(v, 8);
  return (int8_t)(v < act_min ? act_min : (v > act_max ? act_max : v));
}

static inline bool dsp_full_range(int32_t act_min, int32_t act_max) {
  return act_min == -128 && act_max == 127;
}

/* Requantization parameters of a conv-like node's output. */
typedef struct dsp_out_params {
  const int32_t *bias;       /* per output channel, or NULL */
  const int32_t *multiplier; /* per output channel */
  const int8_t *shift;       /* per output channel */
  int32_t out_offset;
  int32_t act_min, act_max;
} dsp_out_params;

/* Bytes of a column pair (two pixels, k values each), 16-byte multiple. */
static inline int32_t dsp_col_bytes(int32_t k) { return 4 * ((k + 3) & ~3); }

/* dsp_col_put writes src[0..n) + offset at patch positions pos..pos+n of pixel
 * `pixel` (0 = a, 1 = b) of a column pair of k values; dsp_col_zero zeroes
 * them (padding taps). Inline: the callers' rows are short. */
/* int16 index of patch position p of pixel `pixel` in a column pair (arm_dsp.h). */
static inline int32_t dsp_col_index(int32_t p, int pixel, int32_t k4) {
  if (p >= k4) return 2 * k4 + 4 * pixel + (p - k4);
  return 2 * (p & ~3) + 4 * pixel + ((p & 1) << 1) + ((p >> 1) & 1);
}

static inline void dsp_put16(int16_t *col, int32_t i, int32_t v) {
  const int16_t h = (int16_t)v;
  __builtin_memcpy(col + i, &h, sizeof h);
}

static inline void dsp_col_put(int16_t *col, int pixel, int32_t pos, const int8_t *src, int32_t n, int32_t k,
                 int32_t offset) {
  const int32_t k4 = k & ~3;
  const int32_t end = pos + n;
  /* scalar head up to a group boundary */
  while (pos < end && (pos & 3) != 0) {
    dsp_put16(col, dsp_col_index(pos, pixel, k4), *src++ + offset);
    ++pos;
  }
  /* whole groups: one LDR, two SXTAB16, two STR (already in column order) */
  const int32_t offset2 = dsp_dup16(offset);
  int32_t groups = (end < k4 ? end : k4) - pos;
  groups = groups > 0 ? groups >> 2 : 0;
  dsp_word *dst = (dsp_word *)(col + 2 * pos + 4 * pixel);
  pos += 4 * groups;
  for (; groups > 0; --groups, src += 4, dst += 4) {
    const int32_t v = dsp_load4(src);
    dst[0] = dsp_ext02(offset2, v);
    dst[1] = dsp_ext13(offset2, v);
  }
  for (; pos < end; ++pos) dsp_put16(col, dsp_col_index(pos, pixel, k4), *src++ + offset);
}

static inline void dsp_col_zero(int16_t *col, int pixel, int32_t pos, int32_t n, int32_t k) {
  const int32_t k4 = k & ~3;
  const int32_t end = pos + n;
  /* as dsp_col_put: scalar head, whole groups two word stores each, scalar tail
   * (padding rows of a large filter are long: micro_speech's 10x8 window) */
  while (pos < end && (pos & 3) != 0) {
    dsp_put16(col, dsp_col_index(pos, pixel, k4), 0);
    ++pos;
  }
  int32_t groups = (end < k4 ? end : k4) - pos;
  groups = groups > 0 ? groups >> 2 : 0;
  dsp_word *dst = (dsp_word *)(col + 2 * pos + 4 * pixel);
  pos += 4 * groups;
  for (; groups > 0; --groups, dst += 4) dst[0] = 0, dst[1] = 0;
  for (; pos < end; ++pos) dsp_put16(col, dsp_col_index(pos, pixel, k4), 0);
}

/* out_x[oc] for oc < n_oc and the pixels x = a, b of the column pair (out_b
 * may be NULL): requant(bias[oc] + sum_j w[oc*k + j] * col_x[j]).
 * Outputs of one pixel are n_oc consecutive bytes. */
void dsp_mat_s8s16(const int8_t *w, int32_t k, int32_t n_oc, const int16_t *col,
                   const dsp_out_params *p, int8_t *out_a, int8_t *out_b);

/* ---- column blocks of DSP_PIX pixels (dsp_matb, dsp_gemm3_s8) ------------
 * The im2col of DSP_PIX = 3 output pixels q = 0..2, int16 with the input
 * offset added, over kc = k rounded up to a multiple of 4 positions (those
 * from k on are 0, as are padding taps). Each group of 4 positions takes 24
 * bytes: q0(x0,x2) q0(x1,x3) q1(..) q1(..) q2(..) q2(..) -- one LDM of 6
 * words per group in the kernel. Three pixels: the kernel's 14 registers hold
 * 3 accumulators, the 6 column words, 2 unpacked weights and 3 pointers (10
 * instructions per 12 MACs), and the block is 6 bytes per position. */
#define DSP_PIX 3

static inline int32_t dsp_colb_k(int32_t k) { return (k + 3) & ~3; }
static inline int32_t dsp_colb_bytes(int32_t k) { return 2 * DSP_PIX * dsp_colb_k(k); }

static inline int32_t dsp_colb_index(int32_t p, int q) {
  return DSP_PIX * (p & ~3) + 4 * q + ((p & 1) << 1) + ((p >> 1) & 1);
}

/* src[0..n) + offset at patch positions pos..pos+n of pixel q. */
static inline void dsp_colb_put(int16_t *col, int q, int32_t pos, const int8_t *src, int32_t n,
                                int32_t offset) {
  const int32_t end = pos + n;
  while (pos < end && (pos & 3) != 0) {
    dsp_put16(col, dsp_colb_index(pos, q), *src++ + offset);
    ++pos;
  }
  const int32_t offset2 = dsp_dup16(offset);
  int32_t groups = (end - pos) >> 2;
  dsp_word *dst = (dsp_word *)(col + DSP_PIX * pos + 4 * q);
  pos += 4 * groups;
  for (; groups > 0; --groups, src += 4, dst += 2 * DSP_PIX) {
    const int32_t v = dsp_load4(src);
    dst[0] = dsp_ext02(offset2, v);
    dst[1] = dsp_ext13(offset2, v);
  }
  for (; pos < end; ++pos) dsp_put16(col, dsp_colb_index(pos, q), *src++ + offset);
}

/* Zeroes patch positions pos..pos+n of pixel q (padding taps). */
static inline void dsp_colb_zero(int16_t *col, int q, int32_t pos, int32_t n) {
  const int32_t end = pos + n;
  while (pos < end && (pos & 3) != 0) {
    dsp_put16(col, dsp_colb_index(pos, q), 0);
    ++pos;
  }
  int32_t groups = (end - pos) >> 2;
  dsp_word *dst = (dsp_word *)(col + DSP_PIX * pos + 4 * q);
  pos += 4 * groups;
  for (; groups > 0; --groups, dst += 2 * DSP_PIX) dst[0] = 0, dst[1] = 0;
  for (; pos < end; ++pos) dsp_put16(col, dsp_colb_index(pos, q), 0);
}

/* out[q * out_stride + oc] for oc < n_oc and the pixels q < n_pix (<= DSP_PIX)
 * of a column block: requant(bias[oc] + sum_j w[oc*k + j] * col_q[j]). */
void dsp_matb(const int8_t *w, int32_t k, int32_t n_oc, const int16_t *col,
              const dsp_out_params *p, int8_t *out, int32_t n_pix, int32_t out_stride);

/* DSP_PIX pixels x k values of pointwise input (pixels k apart, k % 4 == 0)
 * into a column block; pixels q >= n_pix are zeroed. */
void dsp_colb_pointwise(int16_t *col, const int8_t *src, int32_t k, int32_t n_pix,
                        int32_t offset);

/* dsp_gemm3_s8 (dsp_gemm3.c): dsp_matb for a full block, every channel on the
 * fast rescale (dsp_rqf_ok), the whole int8 range as activation range and a
 * bias, with 8 bytes of constants per channel. With k % 4 != 0 the filter rows
 * are k apart and each row's last group reads up to 3 bytes past it (times the
 * block's zero positions): the caller runs the last channel on dsp_matb. */
typedef struct dsp_gemm_row {
  int32_t m, khi; /* dsp_rqf.h's multiplier and high nudge (sh = ctz(khi) + 1) */
} dsp_gemm_row;

typedef struct dsp_gemm_args {
  const int8_t *w;            /* n_oc rows of 4 * g weights */
  const dsp_gemm_row *table;  /* n_oc rows */
  const int16_t *col;         /* column block */
  int8_t *out;                /* pixel q of channel oc at out[q * stride + oc] */
  int32_t n_oc, g, stride;    /* n_oc >= 1, g = kc / 4 >= 1 */
  const int32_t *bias;        /* n_oc */
  int32_t k;                  /* filter row length */
} dsp_gemm_args;

void dsp_gemm3_s8(const dsp_gemm_args *a);   /* k % 4 == 0 */
void dsp_gemm3_s8_k(const dsp_gemm_args *a); /* any k */
/* The same from a CONV_W16 record's channel stream: w points at its first
 * channel (record word 2), table / bias / k unused; a group is 2 LDM + 6 SMLAD
 * (8 instructions per 12 MACs instead of 10). */
void dsp_gemm3_w16(const dsp_gemm_args *a);

/* Offline prep record kind (tfm/kernel.h's table; made by
 * tfm_ci/offline_prep_dsp.py for kernel set arm-dsp): CONV_2D int8 with a
 * bias, groups 1, more than 3 input channels, every channel on the fast
 * rescale: out_d, kc (= fh * fw * in_d rounded up to 4), then per output
 * channel 4 + kc / 2 words: its bias; per group of 4 filter values w0..w3
 * (zero past the row's end) the int16 pairs (w0, w2) and (w1, w3), low half
 * first; dsp_rqf.h's multiplier, final shift and high nudge. A copy of the
 * filter for speed (2 bytes per weight). */
#define DSP_OFFLINE_KIND_CONV_W16 0x44530001u
/* The same for a layer on the strip path (dsp_conv_strip.c): rows in its
 * (fx, fy, c) order. */
#define DSP_OFFLINE_KIND_CONV_W16_STRIP 0x44530002u
#define DSP_W16_WORDS(out_d, kc) (2 + (out_d) * (4 + (kc) / 2))

/* Fills table[0..n_oc) for p; false when some channel is not on the fast
 * rescale, the activation range is not the whole int8 range or there is no
 * bias. */
bool dsp_gemm_table(dsp_gemm_row *table, int32_t n_oc, const dsp_out_params *p);

/* Output rows of one channel of a 3x3 depthwise conv (dsp_dw3.c): pairs of
 * output pixels from rows of int16 inputs (dsp_dw3_layer.c), every constant
 * of the channel in the struct (its first 72 bytes: dsp_dw3.c's offsets). */
typedef struct dsp_dw3_pairs {
  int32_t w[6];            /* per filter row (w0, w1) and (w1, w2), int16 pairs */
  int32_t bias;            /* bias + input offset * sum of the 9 weights */
  int32_t m, sh, khi;      /* the fast rescale (dsp_rqf.h) */
  int32_t ch;              /* output bytes between pixels */
  int32_t pair_bytes;      /* input bytes of a row's pairs (> 0) */
  int32_t row_step;        /* input bytes between the first rows of two output rows */
  int32_t len_bytes;       /* input bytes between the 3 rows of one output row */
  int32_t out_row;         /* output bytes between output rows */
  int32_t rows;            /* output rows (>= 1) */
  const int16_t *r0;       /* the first row at the first tap of output 0, word aligned */
  int8_t *out;
  /* past the assembly's 72 bytes: for the C paths of dsp_dw3_layer.c */
  dsp_rq q;                /* TFLite's rescale (channels off the fast one: sh < 0) */
  int32_t out_offset;
} dsp_dw3_pairs;

/* The pairs of every row: stride 1 (4 input bytes per pair) / stride 2 (8). */
void dsp_dw3_pairs_s1(const dsp_dw3_pairs *a);
void dsp_dw3_pairs_s2(const dsp_dw3_pairs *a);

/* A channel's rescale for the depthwise paths: bias, dsp_rqf.h's multiplier,
 * final shift and high nudge (sh < 0: off the fast rescale, khi = TFLite's
 * shift). */
typedef struct dsp_dw_row {
  int32_t bias, m, sh, khi;
} dsp_dw_row;

/* dsp_dw1_px8 (dsp_dw1.c): n output pixels of a depthwise conv with one input
 * channel and 8 output channels, every tap in the image. */
typedef struct dsp_dw1_args {
  const int8_t *x;            /* input of tap (0, 0) of the first pixel */
  const int8_t *w;            /* filter [fh][fw][8] */
  const int32_t *start;       /* 8 starting accumulators (bias + folded input offset) */
  const dsp_dw_row *table;    /* 8 rows, all on the fast rescale */
  int8_t *out;                /* the first pixel's 8 outputs (pixels 8 bytes apart) */
  int32_t n, fh, fw;          /* pixels >= 1, filter rows >= 1, taps per row >= 1 */
  int32_t row_step;           /* input step from a row's end to the next row's start */
  int32_t x_step;             /* input step between pixels */
} dsp_dw1_args;

void dsp_dw1_px8(const dsp_dw1_args *a);

/* dsp_fc_dot4 (dsp_fc4.c): acc[u] += sum_j w[u * depth + j] * (x[j] + offset)
 * for units u = 0..3 and j < 4 * groups (groups >= 1). */
typedef struct dsp_fc4_args {
  const int8_t *x, *w;
  int32_t groups, depth;
  int32_t offset2; /* the input offset in both int16 lanes */
  int32_t *acc;
} dsp_fc4_args;

void dsp_fc_dot4(const dsp_fc4_args *a);

#endif /* TFM_ARM_DSP_H */
