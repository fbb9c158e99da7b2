/* LEAKY_RELU: int8, int16, float32. y = x >= 0 ? x : alpha * x; quantized
 * with separate identity and alpha multipliers, as TFLite. */
#ifndef TFM_KERNELS_LEAKY_RELU_H
#define TFM_KERNELS_LEAKY_RELU_H

#include "common/activation_common.h"
#include "internal/quant.h"
#include "tfm/kernel.h"

/* Node data (node->data), set by tfm_leaky_relu_prepare. */
typedef struct TfmLeakyReluData {
  float alpha;
  int32_t mult_identity;
  int32_t mult_alpha;
  int shift_identity;
  int shift_alpha;
  int32_t in_zp;
  int32_t out_zp;
} TfmLeakyReluData;

/* The op's prepare: checks the node (inputs, outputs, types, options) and
 * computes what eval needs (node data, scratch requests). */
tfm_status tfm_leaky_relu_prepare(tfm_context *ctx, tfm_node *node);

/* The reference eval (needs tfm_leaky_relu_prepare); an override calls it for the
 * cases it does not handle itself. */
tfm_status tfm_leaky_relu_eval_reference(tfm_context *ctx, tfm_node *node);

#endif /* TFM_KERNELS_LEAKY_RELU_H */
