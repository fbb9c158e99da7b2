/* Kernel set "opt": int8 pooling (opt_pool.h). */
#include "opt_pool.h"

#include "internal/quant.h"
#include "opt_gemm.h"

static int32_t rounded_average(int32_t acc, int32_t count) {
  return acc > 0 ? (acc + count / 2) / count : (acc - count / 2) / count;
}

/* Sums (or maxima) of channels c..c+3 over the window rows [fy0, fy1) x
 * [fx0, fx1); p = tap (fy0, fx0) of channel c. */
static TFM_OPT_HOT void window4(const int8_t *p, int32_t rows, int32_t cols, int32_t row_step,
                                int32_t depth, bool is_max, int32_t *r) {
  int32_t a = is_max ? INT8_MIN : 0, b = a, c = a, e = a;
  for (int32_t y = 0; y < rows; ++y, p += row_step) {
    const int8_t *q = p;
    if (is_max) {
      for (int32_t x = 0; x < cols; ++x, q += depth) {
        a = q[0] > a ? q[0] : a;
        b = q[1] > b ? q[1] : b;
        c = q[2] > c ? q[2] : c;
        e = q[3] > e ? q[3] : e;
      }
    } else {
      for (int32_t x = 0; x < cols; ++x, q += depth) a += q[0], b += q[1], c += q[2], e += q[3];
    }
  }
  r[0] = a, r[1] = b, r[2] = c, r[3] = e;
}

static int32_t window1(const int8_t *p, int32_t rows, int32_t cols, int32_t row_step,
                       int32_t depth, bool is_max) {
  int32_t a = is_max ? INT8_MIN : 0;
  for (int32_t y = 0; y < rows; ++y, p += row_step) {
    const int8_t *q = p;
    for (int32_t x = 0; x < cols; ++x, q += depth) {
      a = is_max ? (q[0] > a ? q[0] : a) : a + q[0];
    }
  }
  return a;
}

void opt_pool_s8(const tfm_pool_data *d, const int8_t *in, int8_t *out, bool is_max) {
  const int32_t depth = d->depth, row_step = d->in_w * depth;
  for (int32_t n = 0; n < d->batches; ++n) {
    const int8_t *in_b = in + n * d->in_h * row_step;
    for (int32_t oy = 0; oy < d->out_h; ++oy) {
      const int32_t y0 = oy * d->stride_h - d->padding.height;
      int32_t fy0, fy1;
      tfm_pool_tap_range(y0, d->in_h, d->filter_h, &fy0, &fy1);
      for (int32_t ox = 0; ox < d->out_w; ++ox) {
        const int32_t x0 = ox * d->stride_w - d->padding.width;
        int32_t fx0, fx1;
        tfm_pool_tap_range(x0, d->in_w, d->filter_w, &fx0, &fx1);
        const int32_t rows = fy1 - fy0, cols = fx1 - fx0, count = rows * cols;
        const int8_t *p = in_b + ((y0 + fy0) * d->in_w + x0 + fx0) * depth;
        int32_t c = 0;
        for (; c + 4 <= depth; c += 4) {
          int32_t r[4];
          window4(p + c, rows, cols, row_step, depth, is_max, r);
          for (int i = 0; i < 4; ++i) {
            const int32_t v = is_max ? r[i] : rounded_average(r[i], count);
            *out++ = (int8_t)tfm_clamp_i32(v, d->act_min, d->act_max);
          }
        }
        for (; c < depth; ++c) {
          const int32_t s = window1(p + c, rows, cols, row_step, depth, is_max);
          const int32_t v = is_max ? s : rounded_average(s, count);
          *out++ = (int8_t)tfm_clamp_i32(v, d->act_min, d->act_max);
        }
      }
    }
  }
}
