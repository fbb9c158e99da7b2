/* HARD_SWISH: int8, float32. y = x * relu6(x + 3) / 6.
 * int8 follows TFLite's 16-bit fixed-point scheme: the input on a "hires"
 * scale (x << 7), a Q0.15 "reluish" factor in [0, 1] and int16 multipliers. */
#ifndef TFM_KERNELS_HARD_SWISH_H
#define TFM_KERNELS_HARD_SWISH_H

#include "common/activation_common.h"
#include "internal/quant.h"
#include "tfm/kernel.h"

/* Node data (node->data), set by tfm_hard_swish_prepare. */
typedef struct TfmHardSwishData {
  int32_t in_zp;
  int32_t out_zp;
  int16_t out_mult;     /* Q0.15 */
  int16_t reluish_mult; /* Q0.15 */
  int out_exp;
  int reluish_exp;
} TfmHardSwishData;

/* The op's prepare: checks the node (inputs, outputs, types, options) and
 * computes what eval needs (node data, scratch requests). */
tfm_status tfm_hard_swish_prepare(tfm_context *ctx, tfm_node *node);

/* The reference eval (needs tfm_hard_swish_prepare); an override calls it for the
 * cases it does not handle itself. */
tfm_status tfm_hard_swish_eval_reference(tfm_context *ctx, tfm_node *node);

#endif /* TFM_KERNELS_HARD_SWISH_H */
