/* arm-dsp SOFTMAX: replaces kernels/reference/softmax.c in kernel set "arm-dsp".
 * Prepare and every case but int8 -> int8 rows of at most DSP_SOFTMAX_MAX
 * classes are the shared ones of common/softmax.h. Those run here with the
 * reference's arithmetic (gemmlowp fixed point: exp_on_negative_values of the
 * Q5.26 scaled difference, Q12.19 sum, reciprocal), so bit-exact, but each
 * class's exponential is computed once and kept on the stack for the output
 * pass instead of twice, and the row maximum is found 4 classes per step. */
#include "arm_dsp.h"
#include "common/ops.h"
#include "common/softmax.h"
#include "internal/fixedpoint.h"
#include "internal/quant.h"
#include "tfm/kernels.h"

#define DSP_SOFTMAX_MAX 64 /* classes per row on this path (256 bytes of stack) */

/* Byte-wise signed max(a, b) (SSUB8 sets the GE flags SEL reads). */
static inline uint32_t dsp_smax4(uint32_t a, uint32_t b) {
  uint32_t r, t;
  __asm__("ssub8 %1, %2, %3\n\tsel %0, %2, %3" : "=r"(r), "=&r"(t) : "r"(a), "r"(b) : "cc");
  return r;
}

static int32_t dsp_row_max(const int8_t *x, int32_t depth) {
  int32_t c = 0, max = -128;
  if (depth >= 4) {
    uint32_t m4 = (uint32_t)dsp_load4(x);
    for (c = 4; c + 4 <= depth; c += 4) m4 = dsp_smax4(m4, (uint32_t)dsp_load4(x + c));
    for (int i = 0; i < 4; ++i) {
      const int32_t v = (int8_t)(m4 >> (8 * i));
      max = v > max ? v : max;
    }
  }
  for (; c < depth; ++c) max = x[c] > max ? x[c] : max;
  return max;
}

static void dsp_softmax_s8(const TfmSoftmaxData *d, int32_t outer, int32_t depth, const int8_t *x,
                           int8_t *y) {
  int32_t e[DSP_SOFTMAX_MAX];
  for (int32_t i = 0; i < outer; ++i, x += depth, y += depth) {
    const int32_t max = dsp_row_max(x, depth);
    int32_t sum = 0; /* Q12.19 */
    for (int32_t c = 0; c < depth; ++c) {
      const int32_t diff = x[c] - max;
      if (diff >= d->diff_min) {
        const int32_t scaled = tfm_saturating_rounding_doubling_high_mul(
            (int32_t)((uint32_t)diff << d->input_left_shift), d->input_multiplier);
        e[c] = tfm_fp_exp_on_negative_values(scaled, 5);
        sum += tfm_rounding_divide_by_pot(e[c], 12);
      } else {
        e[c] = -1; /* below diff_min: the output is -128 */
      }
    }
    int bits_over_unit;
    const int32_t scale = tfm_fp_reciprocal(sum, 12, &bits_over_unit);
    const int exponent = bits_over_unit + 31 - 8;
    for (int32_t c = 0; c < depth; ++c) {
      int32_t v = -128;
      if (e[c] >= 0) { /* exp_on_negative_values is never negative */
        const int32_t unsat = tfm_rounding_divide_by_pot(
            tfm_saturating_rounding_doubling_high_mul(scale, e[c]), exponent);
        v = tfm_clamp_i32(unsat - 128, -128, 127);
      }
      y[c] = (int8_t)v;
    }
  }
}

static tfm_status dsp_softmax_eval(tfm_context *ctx, tfm_node *node) {
  const TfmSoftmaxData *d = (const TfmSoftmaxData *)node->data;
  const tfm_tensor *in = tfm_input(ctx, node, 0);
  tfm_tensor *out = tfm_output(ctx, node, 0);
  const int32_t depth = tfm_tensor_dim(in, -1);
  if (in->type != TFM_INT8 || out->type != TFM_INT8 || depth <= 0 || depth > DSP_SOFTMAX_MAX) {
    return tfm_softmax_eval_reference(ctx, node);
  }
  dsp_softmax_s8(d, tfm_tensor_elements(in) / depth, depth, (const int8_t *)in->data,
                 (int8_t *)out->data);
  return TFM_OK;
}

const tfm_kernel *tfm_register_softmax(void) {
  static const tfm_kernel kernel =
      TFM_BUILTIN_KERNEL(SOFTMAX, tfm_softmax_prepare, dsp_softmax_eval);
  return &kernel;
}
