/* Kernel set "opt": the 2 x 2 tiled int8 GEMMs of opt_gemm.h. */
#include "opt_gemm.h"

#include <stdbool.h>
#include <stddef.h>

/* acc[0..3] += the 2 x 2 tile (channel rows w0, w1; pixels a, b) over k
 * interleaved column values; w1 = w0 + w_next, weights step w_step. */
static TFM_OPT_HOT void tile2x2(const int8_t *w0, const int8_t *w1, int32_t w_step, int32_t k,
                                const int16_t *col, uint32_t *acc) {
  uint32_t a0 = acc[0], b0 = acc[1], a1 = acc[2], b1 = acc[3];
  int32_t j = k;
  if (w_step == 1) {
    for (; j >= 2; j -= 2, col += 4, w0 += 2, w1 += 2) {
      const int32_t xa = col[0], xb = col[1], xa2 = col[2], xb2 = col[3];
      const int32_t u0 = w0[0], u1 = w1[0], v0 = w0[1], v1 = w1[1];
      a0 += (uint32_t)(u0 * xa);
      b0 += (uint32_t)(u0 * xb);
      a1 += (uint32_t)(u1 * xa);
      b1 += (uint32_t)(u1 * xb);
      a0 += (uint32_t)(v0 * xa2);
      b0 += (uint32_t)(v0 * xb2);
      a1 += (uint32_t)(v1 * xa2);
      b1 += (uint32_t)(v1 * xb2);
    }
  }
  for (; j > 0; --j, col += 2, w0 += w_step, w1 += w_step) {
    const int32_t xa = col[0], xb = col[1];
    const int32_t u0 = w0[0], u1 = w1[0];
    a0 += (uint32_t)(u0 * xa);
    b0 += (uint32_t)(u0 * xb);
    a1 += (uint32_t)(u1 * xa);
    b1 += (uint32_t)(u1 * xb);
  }
  acc[0] = a0, acc[1] = b0, acc[2] = a1, acc[3] = b1;
}

static void gemm_col2(const int8_t *w, int32_t row_step, int32_t w_step, int32_t k,
                      int32_t n_oc, const int16_t *col, const int32_t *bias, int32_t oc0,
                      const opt_out_params *p, int8_t *out_a, int8_t *out_b) {
  int32_t oc = 0;
  for (; oc < n_oc; oc += 2) {
    const bool pair = oc + 1 < n_oc;
    const int8_t *w0 = w + oc * row_step;
    /* the lone last channel runs its row twice rather than read past the filter */
    const int8_t *w1 = pair ? w0 + row_step : w0;
    const uint32_t bias0 = bias ? (uint32_t)bias[oc0 + oc] : 0u;
    const uint32_t bias1 = bias && pair ? (uint32_t)bias[oc0 + oc + 1] : 0u;
    uint32_t acc[4] = {bias0, bias0, bias1, bias1};
    tile2x2(w0, w1, w_step, k, col, acc);
    out_a[oc] = opt_store(p, oc0 + oc, acc[0]);
    if (out_b) out_b[oc] = opt_store(p, oc0 + oc, acc[1]);
    if (!pair) break;
    out_a[oc + 1] = opt_store(p, oc0 + oc + 1, acc[2]);
    if (out_b) out_b[oc + 1] = opt_store(p, oc0 + oc + 1, acc[3]);
  }
}

void opt_gemm_col2(const int8_t *w, int32_t k, int32_t n_oc, const int16_t *col,
                   const int32_t *bias, const opt_out_params *p, int8_t *out_a, int8_t *out_b) {
  gemm_col2(w, k, 1, k, n_oc, col, bias, 0, p, out_a, out_b);
}

void opt_gemm_col2_strided(const int8_t *w, int32_t w_stride, int32_t k, int32_t n_oc,
                           const int16_t *col, const int32_t *bias, int32_t oc0,
                           const opt_out_params *p, int8_t *out_a, int8_t *out_b) {
  gemm_col2(w, 1, w_stride, k, n_oc, col, bias, oc0, p, out_a, out_b);
}
