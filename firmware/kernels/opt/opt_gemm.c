/* Kernel set "opt": the register-tiled int8 GEMMs of opt_gemm.h.
 *
 * Tile shape by register file: OPT_ROWS output channels x 2 pixels. Cores
 * with 31 general registers (RISC-V, x86-64, AArch64) hold a 4 x 2 tile
 * (8 accumulators, 4 weight rows, 6 loaded values) and unroll the depth by
 * 2; Thumb cores (13 usable registers) hold 2 x 2 with post-increment loads
 * and no unrolling. Deeper unrolling measured slower: GCC reassociates the
 * unsigned sums into more live temporaries than registers and spills. */
#include "opt_gemm.h"

#include <stdbool.h>
#include <stddef.h>

#if defined(__riscv) || defined(__x86_64__) || defined(__aarch64__)
#define OPT_ROWS 4
#define OPT_UNROLL 2
#else
#define OPT_ROWS 2
#define OPT_UNROLL 1
#endif

/* One depth step j of a 2-row tile: A(j), B(j) the pixels' values. */
#define STEP2(A, B, j)                      \
  do {                                      \
    const int32_t xa_ = (A), xb_ = (B);     \
    const int32_t u0_ = r0[j], u1_ = r1[j]; \
    a0 += (uint32_t)(u0_ * xa_);            \
    b0 += (uint32_t)(u0_ * xb_);            \
    a1 += (uint32_t)(u1_ * xa_);            \
    b1 += (uint32_t)(u1_ * xb_);            \
  } while (0)

#define STEP4(A, B, j)                                          \
  do {                                                          \
    const int32_t xa_ = (A), xb_ = (B);                         \
    const int32_t u0_ = r0[j], u1_ = r1[j], u2_ = r2[j], u3_ = r3[j]; \
    a0 += (uint32_t)(u0_ * xa_);                                \
    b0 += (uint32_t)(u0_ * xb_);                                \
    a1 += (uint32_t)(u1_ * xa_);                                \
    b1 += (uint32_t)(u1_ * xb_);                                \
    a2 += (uint32_t)(u2_ * xa_);                                \
    b2 += (uint32_t)(u2_ * xb_);                                \
    a3 += (uint32_t)(u3_ * xa_);                                \
    b3 += (uint32_t)(u3_ * xb_);                                \
  } while (0)

/* acc[2r], acc[2r+1] += row r of w (rows `rs` apart, weights 1 apart) times
 * pixels a, b over k values. PIX(j) reads pixel a's / b's value j. */
#define TILE_BODY(ROWS, STEP, XA, XB, ADVANCE)                                  \
  int32_t j = k;                                                                \
  for (; OPT_UNROLL == 2 && j >= 2; j -= 2) {                                   \
    STEP(XA(0), XB(0), 0);                                                      \
    STEP(XA(1), XB(1), 1);                                                      \
    ADVANCE(2);                                                                 \
  }                                                                             \
  for (; j > 0; --j) {                                                          \
    STEP(XA(0), XB(0), 0);                                                      \
    ADVANCE(1);                                                                 \
  }

#define COL_A(i) col[2 * (i)]
#define COL_B(i) col[2 * (i) + 1]
#define RAW_A(i) x0[i]
#define RAW_B(i) x1[i]
#define ADV_COL2(n) (col += 2 * (n), r0 += (n), r1 += (n))
#define ADV_COL4(n) (col += 2 * (n), r0 += (n), r1 += (n), r2 += (n), r3 += (n))
#define ADV_RAW2(n) (x0 += (n), x1 += (n), r0 += (n), r1 += (n))
#define ADV_RAW4(n) (x0 += (n), x1 += (n), r0 += (n), r1 += (n), r2 += (n), r3 += (n))

#define TILE2_FN(NAME, ARGS, XA, XB, ADV)                                      \
  static TFM_OPT_HOT void NAME(const int8_t *w, int32_t rs, int32_t k, ARGS,   \
                               uint32_t *acc) {                                \
    const int8_t *r0 = w, *r1 = w + rs;                                        \
    uint32_t a0 = acc[0], b0 = acc[1], a1 = acc[2], b1 = acc[3];               \
    TILE_BODY(2, STEP2, XA, XB, ADV)                                           \
    acc[0] = a0, acc[1] = b0, acc[2] = a1, acc[3] = b1;                        \
  }
#define TILE4_FN(NAME, ARGS, XA, XB, ADV)                                      \
  static TFM_OPT_HOT void NAME(const int8_t *w, int32_t rs, int32_t k, ARGS,   \
                               uint32_t *acc) {                                \
    const int8_t *r0 = w, *r1 = w + rs, *r2 = r1 + rs, *r3 = r2 + rs;          \
    uint32_t a0 = acc[0], b0 = acc[1], a1 = acc[2], b1 = acc[3];               \
    uint32_t a2 = acc[4], b2 = acc[5], a3 = acc[6], b3 = acc[7];               \
    TILE_BODY(4, STEP4, XA, XB, ADV)                                           \
    acc[0] = a0, acc[1] = b0, acc[2] = a1, acc[3] = b1;                        \
    acc[4] = a2, acc[5] = b2, acc[6] = a3, acc[7] = b3;                        \
  }

#define COL_ARGS const int16_t *col
#define RAW_ARGS const int8_t *x0, const int8_t *x1
TILE2_FN(tile2_col, COL_ARGS, COL_A, COL_B, ADV_COL2)
TILE2_FN(tile2_raw, RAW_ARGS, RAW_A, RAW_B, ADV_RAW2)
#if OPT_ROWS == 4
TILE4_FN(tile4_col, COL_ARGS, COL_A, COL_B, ADV_COL4)
TILE4_FN(tile4_raw, RAW_ARGS, RAW_A, RAW_B, ADV_RAW4)
#endif

/* Strided weights (depthwise: output m's weight j at w[j * stride + m]):
 * the OPT_ROWS outputs' weights are adjacent bytes, one pointer; raw int8
 * column pair (opt_gemm_col2_strided). */
static TFM_OPT_HOT void tile_strided(const int8_t *w, int32_t stride, int32_t rows, int32_t k,
                                     const int8_t *col, uint32_t *acc) {
  uint32_t a0 = acc[0], b0 = acc[1], a1 = acc[2], b1 = acc[3];
  if (rows == 4) {
    uint32_t a2 = acc[4], b2 = acc[5], a3 = acc[6], b3 = acc[7];
    for (int32_t j = 0; j < k; ++j, col += 2, w += stride) {
      const int32_t xa = col[0], xb = col[1];
      const int32_t u0 = w[0], u1 = w[1], u2 = w[2], u3 = w[3];
      a0 += (uint32_t)(u0 * xa), b0 += (uint32_t)(u0 * xb);
      a1 += (uint32_t)(u1 * xa), b1 += (uint32_t)(u1 * xb);
      a2 += (uint32_t)(u2 * xa), b2 += (uint32_t)(u2 * xb);
      a3 += (uint32_t)(u3 * xa), b3 += (uint32_t)(u3 * xb);
    }
    acc[4] = a2, acc[5] = b2, acc[6] = a3, acc[7] = b3;
  } else {
    const int32_t next = rows == 2 ? 1 : 0; /* a lone row runs twice */
    for (int32_t j = 0; j < k; ++j, col += 2, w += stride) {
      const int32_t xa = col[0], xb = col[1];
      const int32_t u0 = w[0], u1 = w[next];
      a0 += (uint32_t)(u0 * xa), b0 += (uint32_t)(u0 * xb);
      a1 += (uint32_t)(u1 * xa), b1 += (uint32_t)(u1 * xb);
    }
  }
  acc[0] = a0, acc[1] = b0, acc[2] = a1, acc[3] = b1;
}

/* Stores the outputs of channels oc.. (rows of them) of pixel a, and of b
 * when out_b, from a rows x 2 tile. */
static void store_rows(const opt_out_params *p, int32_t oc, int32_t rows, const uint32_t *acc,
                       int8_t *out_a, int8_t *out_b, int32_t out_step) {
  for (int32_t r = 0; r < rows; ++r, ++oc, out_a += out_step) {
    const tfm_rq q = tfm_rq_make(p->multiplier[oc], p->shift[oc]);
    *out_a = (int8_t)tfm_rq_out(q, tfm_wrap_i32(acc[2 * r]), p->out_offset, p->act_min,
                                p->act_max);
    if (out_b) {
      out_b[r * out_step] = (int8_t)tfm_rq_out(q, tfm_wrap_i32(acc[2 * r + 1]), p->out_offset,
                                               p->act_min, p->act_max);
    }
  }
}

/* acc = base[r] in both pixel slots of each of the 4 rows (unused rows 0). */
static void init_rows(uint32_t *acc, const uint32_t *base, int32_t rows) {
  for (int32_t r = 0; r < 4; ++r) {
    const uint32_t v = r < rows ? base[r] : 0u;
    acc[2 * r] = v, acc[2 * r + 1] = v;
  }
}

#if OPT_ROWS == 4
static void bias_rows(uint32_t *base, const int32_t *bias, int32_t oc, int32_t rows) {
  for (int32_t r = 0; r < 4; ++r) base[r] = bias && r < rows ? (uint32_t)bias[oc + r] : 0u;
}
#endif

void opt_gemm_col2(const int8_t *w, int32_t k, int32_t n_oc, const int16_t *col,
                   const int32_t *bias, const opt_out_params *p, int8_t *out_a, int8_t *out_b) {
  for (int32_t oc = 0; oc < n_oc;) {
    uint32_t acc[8];
    const int32_t left = n_oc - oc;
#if OPT_ROWS == 4
    if (left >= 4) {
      uint32_t base[4];
      bias_rows(base, bias, oc, 4);
      init_rows(acc, base, 4);
      tile4_col(w + oc * k, k, k, col, acc);
      store_rows(p, oc, 4, acc, out_a + oc, out_b ? out_b + oc : NULL, 1);
      oc += 4;
      continue;
    }
#endif
    const int32_t rows = left >= 2 ? 2 : 1;
    const uint32_t b0 = bias ? (uint32_t)bias[oc] : 0u;
    const uint32_t b1 = bias && rows == 2 ? (uint32_t)bias[oc + 1] : 0u;
    acc[0] = acc[1] = b0;
    acc[2] = acc[3] = b1;
    /* a lone last channel runs its row twice rather than read past the filter */
    tile2_col(w + oc * k, rows == 2 ? k : 0, k, col, acc);
    store_rows(p, oc, rows, acc, out_a + oc, out_b ? out_b + oc : NULL, 1);
    oc += rows;
  }
}

void opt_gemm_col2_strided(const int8_t *w, int32_t w_stride, int32_t k, int32_t n_oc,
                           const int8_t *col, const uint32_t *base, int32_t oc0,
                           const opt_out_params *p, int8_t *out_a, int8_t *out_b) {
  for (int32_t m = 0; m < n_oc;) {
    const int32_t left = n_oc - m;
    const int32_t rows = left >= 4 ? 4 : (left >= 2 ? 2 : 1);
    uint32_t acc[8];
    init_rows(acc, base + m, rows);
    tile_strided(w + m, w_stride, rows, k, col, acc);
    store_rows(p, oc0 + m, rows, acc, out_a + m, out_b ? out_b + m : NULL, 1);
    m += rows;
  }
}

void opt_gemm_raw2(const int8_t *w, int32_t k, int32_t oc, int32_t rows, const uint32_t *base,
                   const int8_t *x0, const int8_t *x1, const opt_out_params *p, int8_t *out_a,
                   int8_t *out_b, int32_t out_step) {
  uint32_t acc[8];
  init_rows(acc, base, rows);
#if OPT_ROWS == 4
  if (rows == 4) {
    tile4_raw(w, k, k, x0, x1, acc);
    store_rows(p, oc, 4, acc, out_a, out_b, out_step);
    return;
  }
#endif
  tile2_raw(w, rows == 2 ? k : 0, k, x0, x1, acc);
  store_rows(p, oc, rows, acc, out_a, out_b, out_step);
}

int32_t opt_gemm_rows(void) { return OPT_ROWS; }
