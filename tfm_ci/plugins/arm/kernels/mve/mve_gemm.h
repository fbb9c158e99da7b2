/* The arm-mve int8 matrix kernel shared by CONV_2D (pointwise on the input,
 * otherwise on im2col columns) and FULLY_CONNECTED.
 *
 * out[px][oc] = requant(corr[oc] + sum_j w[oc * k + j] * x[px][j]) for every
 * pixel px (rows of k int8 at x + px * x_stride) and output channel oc (rows
 * of the weight matrix, k int8 each). corr[oc] = bias[oc] + input_offset *
 * sum_j w[oc * k + j] (mve_gemm_corr, once per eval), which folds the input
 * offset out of the inner loop: sum_j w * (x + offset) = sum_j w * x + offset *
 * sum_j w, modulo 2^32 as the reference's accumulator.
 *
 * Inner loops (mve_dot.h): two output channels of two pixels per pass, 16
 * input values per VMLADAVA (each x vector loaded once for two channels, each
 * weight vector once for two pixels), tail-predicated (DLSTP / LETP); four
 * channels per rescale. Many pixels (pointwise): channel groups outside, so
 * each group's rescale parameters and weights stay put; few (im2col batches):
 * pixels outside. */
#ifndef TFM_ARM_MVE_GEMM_H
#define TFM_ARM_MVE_GEMM_H

#include <stdint.h>

#include "common/conv_common.h"

typedef struct mve_out_params {
  const int32_t *corr;       /* per output channel: bias + input_offset * sum(w) */
  const int32_t *multiplier; /* per output channel */
  const int8_t *shift;       /* per output channel */
  int32_t out_offset;
  int32_t act_min, act_max;
} mve_out_params;

/* corr[oc] for n_oc rows of k weights; bias may be NULL. */
void mve_gemm_corr(const int8_t *w, int32_t k, int32_t n_oc, const int32_t *bias,
                   int32_t input_offset, int32_t *corr);

/* All n_oc outputs of n_px pixels: pixel px reads x + px * x_stride and writes
 * out + px * out_stride. */
void mve_gemm_s8(const int8_t *w, int32_t k, int32_t n_oc, const int8_t *x, int32_t x_stride,
                 int32_t n_px, const mve_out_params *p, int8_t *out, int32_t out_stride);

/* A convolution with groups == 1 (geometry d, filter w as rows of k = fh *
 * fw * filter_d) over im2col columns: mve_cols_pixels(k) pixels' patches at a
 * time copied as raw int8 into col (scratch), padding taps set to the input
 * zero point (w * (zp + offset) = 0: the reference's skipped taps, also after
 * the correction), then mve_gemm_s8. p->corr must be mve_gemm_corr's. */
void mve_conv_cols(const tfm_conv_data *d, const int8_t *in, const int8_t *w,
                   const mve_out_params *p, int8_t *col, int8_t *out);

/* Pixels per im2col batch for patches of k bytes: 2 to 16 (even), about 384
 * bytes of columns, so short patches share one matrix call (its set-up)
 * without growing the arena much. col must hold mve_cols_pixels(k) * k bytes. */
static inline int32_t mve_cols_pixels(int32_t k) {
  int32_t n = 384 / (k > 0 ? k : 1);
  n = n > 16 ? 16 : (n < 2 ? 2 : n);
  return n & ~1;
}

#endif /* TFM_ARM_MVE_GEMM_H */
