/* Shared pieces of the portable optimized kernel set "opt" (plain C99, no
 * SIMD intrinsics: Cortex-M0+/M3, RV32, hosts).
 *
 * The speed comes from register tiling, not from special instructions: a
 * 2 x 2 output tile (two output channels x two pixels) loads each weight
 * once for two pixels and each input value once for two (four, on cores
 * with 31 registers) channels, so a multiply-accumulate costs little more
 * than its multiply-add instead of the reference loop's loads, offset,
 * index and branch (opt_gemm.c).
 *
 * Exactness: every product w * (x + input_offset) is exact in int32
 * (|w| <= 128, |x + offset| <= 255); the accumulators add them modulo 2^32
 * (uint32_t), together with the bias. Addition modulo 2^32 does not depend
 * on the order, so each accumulator equals the reference kernel's (which
 * wraps the same way, quant.h), and the rescale is internal/rq.h's,
 * bit-identical to TFLite's. Padding taps contribute 0, as the reference's
 * skipped taps. Where the input offset is folded into the bias
 * (base = bias + offset * sum(w)), the same identity holds modulo 2^32. */
#ifndef TFM_KERNELS_OPT_GEMM_H
#define TFM_KERNELS_OPT_GEMM_H

#include <stdint.h>

#include "internal/rq.h"

#if defined(__GNUC__)
#define TFM_OPT_HOT __attribute__((noinline))
#else
#define TFM_OPT_HOT
#endif

/* Requantization of a conv-like node's output channels. */
typedef struct opt_out_params {
  const int32_t *multiplier; /* per output channel */
  const int8_t *shift;       /* per output channel */
  int32_t out_offset;
  int32_t act_min, act_max;
} opt_out_params;

/* Column pair: the patches of two pixels a, b interleaved as int16 with the
 * input offset added, a(0) b(0) a(1) b(1) ... (one pointer reads both).
 * out_a[oc] / out_b[oc] (out_b may be NULL: the b slots are then ignored)
 * = requant(bias[oc] + sum_j w[oc*k + j] * col(j)) for oc < n_oc; bias may
 * be NULL. Weights in rows of k (OHWI). */
void opt_gemm_col2(const int8_t *w, int32_t k, int32_t n_oc, const int16_t *col,
                   const int32_t *bias, const opt_out_params *p, int8_t *out_a, int8_t *out_b);

/* Depthwise: a channel's n_oc outputs from a column pair of raw int8 values
 * a(0) b(0) a(1) b(1) ... (padding taps hold the input zero point, so that
 * base[m] = bias + input_offset * sum_j w_m(j), over every tap, leaves their
 * contribution 0). Weight j of output m is w[j * w_stride + m]; out_a[m] /
 * out_b[m] (out_b may be NULL) = requant(base[m] + sum_j w_m(j) * col(j)),
 * with output channel oc0 + m's rescale. */
void opt_gemm_col2_strided(const int8_t *w, int32_t w_stride, int32_t k, int32_t n_oc,
                           const int8_t *col, const uint32_t *base, int32_t oc0,
                           const opt_out_params *p, int8_t *out_a, int8_t *out_b);

/* Pointwise tile: `rows` (1, 2 or opt_gemm_rows()) filter rows of k
 * starting at w (channels oc..) times the raw int8 pixel rows x0, x1 (x1 may
 * equal x0; out_b NULL then), starting from base[r] (bias + offset * sum of
 * row r); outputs of channel oc + r at out_a[r * out_step]. */
void opt_gemm_raw2(const int8_t *w, int32_t k, int32_t oc, int32_t rows, const uint32_t *base,
                   const int8_t *x0, const int8_t *x1, const opt_out_params *p, int8_t *out_a,
                   int8_t *out_b, int32_t out_step);

/* Widest row count of the tiles on this core (4 with 31 registers, else 2). */
int32_t opt_gemm_rows(void);

/* Writes src[0..n) + offset at positions pos.. of pixel `pixel` (0 or 1) of
 * a column pair; opt_col_zero writes zeros (padding taps). */
static inline void opt_col_put(int16_t *col, int pixel, int32_t pos, const int8_t *src,
                               int32_t n, int32_t offset) {
  int16_t *dst = col + 2 * pos + pixel;
  for (int32_t i = 0; i < n; ++i, dst += 2) *dst = (int16_t)(src[i] + offset);
}
static inline void opt_col_zero(int16_t *col, int pixel, int32_t pos, int32_t n) {
  int16_t *dst = col + 2 * pos + pixel;
  for (int32_t i = 0; i < n; ++i, dst += 2) *dst = 0;
}

#endif /* TFM_KERNELS_OPT_GEMM_H */
