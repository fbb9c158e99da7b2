/* BATCH_MATMUL: out[..., r, c] = sum_k LHS[..., r, k] * RHS[..., k, c] with
 * adj_x / adj_y (options at offsets 4 and 6) transposing the last two dims
 * of an operand, batch dims (up to 3, ranks 2..5) broadcast. Types as
 * TFLite's reference kernel: float32 (float sums in k order); int8 (int32
 * sums of (x - zero_point) products, rescaled by (lhs_scale * rhs_scale) /
 * out_scale as FULLY_CONNECTED); int16 (zero points 0, int64 sums).
 * Hybrid (FLOAT32 LHS and output, INT8 RHS quantized per tensor): TFLite's
 * EvalHybrid. Each LHS row is quantized to int8 (symmetric, or asymmetric
 * with the option at offset 8), products are summed exactly in int32,
 * corrected by row sum * zero point (in float, truncated back to int32, as
 * TFLite) and scaled by row_scale * rhs_scale in float. TFLite picks each
 * row's scale and zero point at sum over batch dims (b_i * rows) for every
 * LHS batch dim that is not 1, and the RHS row sums likewise (b_i * cols):
 * not the row's true index when two batch dims are > 1. Ours indexes the
 * same way, so such broadcasts agree with TFLite too. */
#include "common/batch_matmul.h"

#include "common/shape_common.h"
#include "internal/hybrid_quant.h"
#include "internal/quant.h"
#include "tfm/kernels.h"

#define MAX_BATCH_DIMS 3

typedef struct matmul_data {
  int32_t rows, cols, depth;
  int32_t batch[MAX_BATCH_DIMS];      /* output batch dims, padded with 1 in front */
  int32_t lhs_step[MAX_BATCH_DIMS];   /* matrix strides of each operand (0: broadcast) */
  int32_t rhs_step[MAX_BATCH_DIMS];
  bool adj_x, adj_y;
  int32_t lhs_offset, rhs_offset, out_offset; /* -zp, -zp, +zp */
  int32_t multiplier;
  int shift;
  int32_t act_min, act_max;
  bool hybrid, asymmetric;
  float rhs_scale;
  int32_t lhs_matrices;                /* hybrid: LHS matrices quantized row by row */
  int32_t *row_sums;                   /* hybrid: RHS column sums [matrices, cols] */
  int scratch;                         /* hybrid: scales, zero points, quantized LHS */
} matmul_data;

static int32_t dim_or_1(const tfm_tensor *t, int from_end) {
  return from_end <= t->rank ? t->dims[t->rank - from_end] : 1;
}

/* Element (r, k) of the LHS and (k, c) of the RHS matrix at a batch offset. */
#define LHS_AT(p, r, k) ((p)[d->adj_x ? (k) * d->rows + (r) : (r) * d->depth + (k)])
#define RHS_AT(p, k, c) ((p)[d->adj_y ? (c) * d->depth + (k) : (k) * d->cols + (c)])

static tfm_status batch_geometry(tfm_context *ctx, const tfm_tensor *lhs, const tfm_tensor *rhs,
                                 const tfm_tensor *out, matmul_data *d) {
  int32_t lhs_stride = d->rows * d->depth, rhs_stride = d->depth * d->cols;
  /* batch dim b (0 = innermost batch dim) is dim (b + 3) from the end */
  for (int b = 0; b < MAX_BATCH_DIMS; ++b) {
    const int32_t l = dim_or_1(lhs, b + 3), r = dim_or_1(rhs, b + 3);
    if (l != r && l != 1 && r != 1) {
      return tfm_fail(ctx, TFM_BAD_MODEL, "batch dims %d and %d do not broadcast", l, r);
    }
    const int32_t o = l == 1 ? r : l;
    if (dim_or_1(out, b + 3) != o) return tfm_fail(ctx, TFM_BAD_MODEL, "output batch dim is not %d", o);
    const int k = MAX_BATCH_DIMS - 1 - b;
    d->batch[k] = o;
    d->lhs_step[k] = l == 1 ? 0 : lhs_stride;
    d->rhs_step[k] = r == 1 ? 0 : rhs_stride;
    lhs_stride *= l;
    rhs_stride *= r;
  }
  return TFM_OK;
}

static tfm_status prepare_hybrid(tfm_context *ctx, const tfm_node *node, matmul_data *d,
                                 const tfm_tensor *lhs, const tfm_tensor *rhs) {
  tfm_quant q;
  TFM_TRY(tfm_tensor_quant(ctx, rhs, &q));
  if (q.count != 1 || !(rhs->scale > 0.0f)) {
    return tfm_fail(ctx, TFM_UNSUPPORTED, "hybrid INT8 RHS needs one positive scale "
                    "(per-tensor quantization)");
  }
  d->hybrid = true;
  d->asymmetric = tfm_opt_bool(node, 8, false);
  d->rhs_scale = rhs->scale;
  d->lhs_matrices = 1;
  for (int i = 3; i <= lhs->rank; ++i) d->lhs_matrices *= dim_or_1(lhs, i);
  const size_t rows = (size_t)d->lhs_matrices * d->rows;
  TFM_TRY(tfm_request_scratch(ctx, rows * (8 + (size_t)d->depth) + 4 * (size_t)d->depth,
                              &d->scratch));
  if (!d->asymmetric) return TFM_OK; /* zero points 0: the row sums do not matter */
  if (!(rhs->flags & TFM_TENSOR_CONSTANT)) {
    /* TFLite sums the RHS columns once, on its first eval */
    return tfm_fail(ctx, TFM_UNSUPPORTED, "asymmetric hybrid needs a constant INT8 RHS");
  }
  if (dim_or_1(rhs, 5) != 1) {
    return tfm_fail(ctx, TFM_UNSUPPORTED, "asymmetric hybrid: RHS leading batch dim %d "
                    "(TFLite sums only the inner batch dims)", dim_or_1(rhs, 5));
  }
  const int32_t matrices = dim_or_1(rhs, 3) * dim_or_1(rhs, 4);
  TFM_TRY(tfm_alloc_persistent(ctx, (size_t)matrices * d->cols * sizeof(int32_t),
                               (void **)&d->row_sums));
  const int8_t *w = (const int8_t *)rhs->data;
  for (int32_t m = 0; m < matrices; ++m) {
    const int8_t *rp = w + (size_t)m * d->depth * d->cols;
    for (int32_t c = 0; c < d->cols; ++c) {
      int32_t sum = 0;
      for (int32_t k = 0; k < d->depth; ++k) sum += RHS_AT(rp, k, c);
      d->row_sums[(size_t)m * d->cols + c] = sum;
    }
  }
  return TFM_OK;
}

tfm_status tfm_batch_matmul_prepare(tfm_context *ctx, tfm_node *node) {
  TFM_TRY(tfm_shape_check_io(ctx, node, 2, 2, 1));
  const tfm_tensor *lhs = tfm_input(ctx, node, 0);
  const tfm_tensor *rhs = tfm_input(ctx, node, 1);
  const tfm_tensor *out = tfm_output(ctx, node, 0);
  const tfm_type t = (tfm_type)out->type;
  const bool hybrid = t == TFM_FLOAT32 && lhs->type == TFM_FLOAT32 && rhs->type == TFM_INT8;
  if ((t != TFM_FLOAT32 && t != TFM_INT8 && t != TFM_INT16) || lhs->type != t ||
      (rhs->type != t && !hybrid)) {
    return tfm_fail(ctx, TFM_UNSUPPORTED, "types %s x %s -> %s not supported",
                    tfm_type_name((tfm_type)lhs->type), tfm_type_name((tfm_type)rhs->type),
                    tfm_type_name(t));
  }
  if (lhs->rank < 2 || rhs->rank < 2 || lhs->rank > 5 || rhs->rank > 5 ||
      out->rank != (lhs->rank > rhs->rank ? lhs->rank : rhs->rank)) {
    return tfm_fail(ctx, TFM_BAD_MODEL, "ranks %d x %d -> %d not supported (2..5)", lhs->rank,
                    rhs->rank, out->rank);
  }
  matmul_data *d;
  TFM_TRY(tfm_alloc_persistent(ctx, sizeof(*d), (void **)&d));
  d->adj_x = tfm_opt_bool(node, 4, false);
  d->adj_y = tfm_opt_bool(node, 6, false);
  d->rows = dim_or_1(lhs, d->adj_x ? 1 : 2);
  d->depth = dim_or_1(lhs, d->adj_x ? 2 : 1);
  d->cols = dim_or_1(rhs, d->adj_y ? 2 : 1);
  if (dim_or_1(rhs, d->adj_y ? 1 : 2) != d->depth || dim_or_1(out, 2) != d->rows ||
      dim_or_1(out, 1) != d->cols) {
    return tfm_fail(ctx, TFM_BAD_MODEL, "shapes do not multiply: [%d x %d] x [%d x %d] -> [%d x %d]",
                    d->rows, d->depth, dim_or_1(rhs, d->adj_y ? 1 : 2), d->cols,
                    dim_or_1(out, 2), dim_or_1(out, 1));
  }
  TFM_TRY(batch_geometry(ctx, lhs, rhs, out, d));
  if (hybrid) TFM_TRY(prepare_hybrid(ctx, node, d, lhs, rhs));
  if (t != TFM_FLOAT32) {
    if (!(lhs->scale > 0.0f && rhs->scale > 0.0f && out->scale > 0.0f)) {
      return tfm_fail(ctx, TFM_BAD_MODEL, "quantized tensors need positive scales");
    }
    if (t == TFM_INT16 && (lhs->zero_point || rhs->zero_point || out->zero_point)) {
      return tfm_fail(ctx, TFM_UNSUPPORTED, "INT16 needs zero points of 0");
    }
    d->lhs_offset = -lhs->zero_point;
    d->rhs_offset = -rhs->zero_point;
    d->out_offset = out->zero_point;
    /* As GetQuantizedConvolutionMultipler: the float product, widened, over the output scale. */
    tfm_quantize_multiplier((double)(lhs->scale * rhs->scale) / (double)out->scale, &d->multiplier,
                            &d->shift);
    d->act_min = t == TFM_INT8 ? -128 : -32768;
    d->act_max = t == TFM_INT8 ? 127 : 32767;
  }
  node->data = d;
  return TFM_OK;
}


#define MATMUL_LOOP(T, ACC_T, ACC, STORE)                                       \
  do {                                                                          \
    const T *l0 = (const T *)lhs->data, *r0 = (const T *)rhs->data;             \
    T *o = (T *)out->data;                                                      \
    for (int32_t b0 = 0; b0 < d->batch[0]; ++b0) {                              \
      for (int32_t b1 = 0; b1 < d->batch[1]; ++b1) {                            \
        for (int32_t b2 = 0; b2 < d->batch[2]; ++b2) {                          \
          const T *lp = l0 + b0 * d->lhs_step[0] + b1 * d->lhs_step[1] + b2 * d->lhs_step[2]; \
          const T *rp = r0 + b0 * d->rhs_step[0] + b1 * d->rhs_step[1] + b2 * d->rhs_step[2]; \
          for (int32_t r = 0; r < d->rows; ++r) {                               \
            for (int32_t c = 0; c < d->cols; ++c) {                             \
              ACC_T acc = 0;                                                    \
              for (int32_t k = 0; k < d->depth; ++k) {                          \
                const ACC_T x = LHS_AT(lp, r, k), y = RHS_AT(rp, k, c);         \
                ACC;                                                            \
              }                                                                 \
              *o++ = STORE;                                                     \
            }                                                                   \
          }                                                                     \
        }                                                                       \
      }                                                                         \
    }                                                                           \
  } while (0)

static inline int8_t requant8(const matmul_data *d, int32_t acc) {
  const int32_t v = tfm_multiply_by_quantized_multiplier(acc, d->multiplier, d->shift);
  return (int8_t)tfm_clamp_i32(tfm_add_wrap_i32(v, d->out_offset), d->act_min, d->act_max);
}

static inline int16_t requant16(const matmul_data *d, int64_t acc) {
  const int32_t v = tfm_multiply_by_quantized_multiplier_64(acc, d->multiplier, d->shift);
  return (int16_t)tfm_clamp_i32(v, d->act_min, d->act_max);
}

static void eval_hybrid(tfm_context *ctx, const matmul_data *d, const float *lhs,
                        const int8_t *rhs, float *out) {
  const size_t n_rows = (size_t)d->lhs_matrices * d->rows, size = (size_t)d->rows * d->depth;
  float *scales = (float *)tfm_scratch(ctx, d->scratch);
  int32_t *zps = (int32_t *)(scales + n_rows);
  float *gathered = (float *)(zps + n_rows); /* one LHS row when adj_x */
  int8_t *q = (int8_t *)(gathered + d->depth);
  for (size_t m = 0; m < (size_t)d->lhs_matrices; ++m) {
    const float *lp = lhs + m * size;
    for (int32_t r = 0; r < d->rows; ++r) {
      const size_t i = m * d->rows + r;
      const float *x = lp + (size_t)r * d->depth;
      if (d->adj_x) { /* TFLite transposes the LHS first */
        for (int32_t k = 0; k < d->depth; ++k) gathered[k] = LHS_AT(lp, r, k);
        x = gathered;
      }
      tfm_hybrid_quantize_row(x, d->depth, d->asymmetric, q + m * size + (size_t)r * d->depth,
                              &scales[i], &zps[i]);
      scales[i] *= d->rhs_scale;
    }
  }
  size_t o = 0;
  for (int32_t b0 = 0; b0 < d->batch[0]; ++b0) {
    for (int32_t b1 = 0; b1 < d->batch[1]; ++b1) {
      for (int32_t b2 = 0; b2 < d->batch[2]; ++b2) {
        const int32_t lstep = b0 * d->lhs_step[0] + b1 * d->lhs_step[1] + b2 * d->lhs_step[2];
        const int8_t *qp = q + lstep, *rp = rhs + b0 * d->rhs_step[0] + b1 * d->rhs_step[1] +
                                          b2 * d->rhs_step[2];
        /* TFLite's (quirky) scale and row-sum offsets, see the file comment */
        const int32_t s_off = ((d->lhs_step[0] ? b0 : 0) + (d->lhs_step[1] ? b1 : 0) +
                               (d->lhs_step[2] ? b2 : 0)) * d->rows;
        const int32_t w_off = ((d->rhs_step[0] ? b0 : 0) + (d->rhs_step[1] ? b1 : 0) +
                               (d->rhs_step[2] ? b2 : 0)) * d->cols;
        for (int32_t r = 0; r < d->rows; ++r) {
          const float scale = scales[s_off + r], offset = (float)zps[s_off + r];
          for (int32_t c = 0; c < d->cols; ++c) {
            int32_t total = 0;
            for (int32_t k = 0; k < d->depth; ++k) {
              total += qp[(size_t)r * d->depth + k] * RHS_AT(rp, k, c);
            }
            const int32_t row_sum = d->row_sums ? d->row_sums[w_off + c] : 0;
            total = (int32_t)((float)total - (float)row_sum * offset);
            out[o++] = 0.0f + scale * (float)total;
          }
        }
      }
    }
  }
}

tfm_status tfm_batch_matmul_eval_reference(tfm_context *ctx, tfm_node *node) {
  const matmul_data *d = (const matmul_data *)node->data;
  const tfm_tensor *lhs = tfm_input(ctx, node, 0);
  const tfm_tensor *rhs = tfm_input(ctx, node, 1);
  tfm_tensor *out = tfm_output(ctx, node, 0);
  if (d->hybrid) {
    eval_hybrid(ctx, d, (const float *)lhs->data, (const int8_t *)rhs->data, (float *)out->data);
    return TFM_OK;
  }
  switch (out->type) {
    case TFM_FLOAT32: MATMUL_LOOP(float, float, acc += x * y, acc); break;
    case TFM_INT8: /* sums wrap (internal/quant.h) where TFLite's int32 would overflow */
      MATMUL_LOOP(int8_t, int32_t,
                  acc = tfm_add_wrap_i32(acc, (x + d->lhs_offset) * (y + d->rhs_offset)),
                  requant8(d, acc));
      break;
    default: MATMUL_LOOP(int16_t, int64_t, acc += x * y, requant16(d, acc)); break;
  }
  (void)ctx;
  return TFM_OK;
}
