/* ACME fast FULLY_CONNECTED for Armv7E-M (Cortex-M4F): replaces tfm-ci's
 * reference kernels/reference/fully_connected.c in kernel set "acme-fast".
 *
 * Prepare (argument checks, multipliers) and the float32/int16 paths are
 * tfm-ci's shared ones, declared in common/fully_connected.h. The int8 eval with symmetric
 * weights (weights zero point 0, as TFLite's int8 spec requires) takes four
 * weights and four inputs per step and does two 16x16+32 MACs per SMLAD
 * instruction, as CMSIS-NN does:
 *   acc = bias + sum_k w[k] * (x[k] + input_offset)
 * Every product and partial sum is the same integer as in the reference
 * loop (|w| <= 128, |x + offset| <= 255 fit int16 lanes; SMLAD adds exactly),
 * so the output is bit-exact with TFLite. Anything else falls back to the
 * reference eval.
 *
 * Coupling: only what common/fully_connected.h promises
 * (tfm_fully_connected_prepare, tfm_fully_connected_eval_reference,
 * TfmFullyConnectedData) and the arithmetic helpers of internal/quant.h. */
#include <arm_acle.h>
#include <stdbool.h>

#include "common/fully_connected.h"
#include "common/ops.h"
#include "internal/quant.h"
#include "tfm/kernels.h"

#if !defined(__ARM_FEATURE_SIMD32) || !defined(__ARM_FEATURE_DSP)
#error "kernel set acme-fast needs the Armv7E-M DSP extension (SXTB16, SMLAD)"
#endif

static inline int32_t acme_ror8(int32_t v) {
  return (int32_t)(((uint32_t)v >> 8) | ((uint32_t)v << 24)); /* one ROR */
}

static inline int32_t acme_load4(const int8_t *p) {
  int32_t v;
  __builtin_memcpy(&v, p, sizeof v); /* one LDR (unaligned is fine on v7E-M); plain memcpy
                                      * would be a call under -ffreestanding */
  return v;
}

/* sum_k w[k] * (x[k] + offset); offset2 holds the offset in both int16 lanes. */
static int32_t acme_dot_s8(const int8_t *w, const int8_t *x, int32_t depth, int32_t offset,
                      int32_t offset2) {
  int32_t acc = 0;
  int32_t k = 0;
  for (; k + 4 <= depth; k += 4) {
    const int32_t wv = acme_load4(w + k);
    const int32_t xv = acme_load4(x + k);
    const int32_t w02 = __sxtb16(wv);                     /* w[k], w[k+2] */
    const int32_t w13 = __sxtb16(acme_ror8(wv));
    const int32_t x02 = __sxtab16(offset2, xv);           /* x + offset, lanes 0/2 */
    const int32_t x13 = __sxtab16(offset2, acme_ror8(xv));
    acc = __smlad(w02, x02, acc);
    acc = __smlad(w13, x13, acc);
  }
  /* SMLAD wraps like the reference's unsigned sums (internal/quant.h). */
  for (; k < depth; ++k) acc = tfm_add_wrap_i32(acc, w[k] * (x[k] + offset));
  return acc;
}

static void acme_fc_s8(const TfmFullyConnectedData *d, const int8_t *in, const int8_t *w,
                       const int32_t *bias, int8_t *out) {
  const int32_t offset = d->input_offset;
  const int32_t offset2 = (int32_t)(((uint32_t)offset & 0xFFFFu) | ((uint32_t)offset << 16));
  const bool per_channel = d->channels > 1;
  for (int32_t b = 0; b < d->batches; ++b) {
    const int8_t *x = in + b * d->depth;
    const int8_t *wr = w;
    for (int32_t u = 0; u < d->units; ++u, wr += d->depth) {
      int32_t acc = acme_dot_s8(wr, x, d->depth, offset, offset2);
      if (bias) acc = tfm_add_wrap_i32(acc, bias[u]);
      const int32_t c = per_channel ? u : 0;
      acc = tfm_multiply_by_quantized_multiplier_single(acc, d->multiplier[c], d->shift[c]);
      acc = tfm_add_wrap_i32(acc, d->output_offset);
      *out++ = (int8_t)tfm_clamp_i32(acc, d->act_min, d->act_max);
    }
  }
}

static tfm_status acme_eval(tfm_context *ctx, tfm_node *node) {
  const TfmFullyConnectedData *d = (const TfmFullyConnectedData *)node->data;
  const tfm_tensor *in = tfm_input(ctx, node, 0);
  if (in->type != TFM_INT8 || d->weights_offset != 0) {
    return tfm_fully_connected_eval_reference(ctx, node);
  }
  const tfm_tensor *w = tfm_input(ctx, node, 1);
  const tfm_tensor *bias = node->num_inputs == 3 ? tfm_input(ctx, node, 2) : NULL;
  tfm_tensor *out = tfm_output(ctx, node, 0);
  acme_fc_s8(d, (const int8_t *)in->data, (const int8_t *)w->data,
            bias ? (const int32_t *)bias->data : NULL, (int8_t *)out->data);
  return TFM_OK;
}

const tfm_kernel *tfm_register_fully_connected(void) {
  static const tfm_kernel kernel = TFM_BUILTIN_KERNEL(FULLY_CONNECTED, tfm_fully_connected_prepare,
                                                       acme_eval);
  return &kernel;
}
