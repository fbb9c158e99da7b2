/* CONCATENATION along one axis (negative counts from the end).
 *
 * Inputs whose int8 scale/zero point differ from the output's are
 * requantized as TFLite's ConcatenationWithScaling does (float scale and
 * bias, round half away from zero, clamp); equal ones are copied. TFLite
 * itself refuses both differing int8 quantization and a fused activation;
 * we accept them (float outputs apply the activation). */
#ifndef TFM_KERNELS_CONCATENATION_H
#define TFM_KERNELS_CONCATENATION_H

#include "common/shape_common.h"
#include "internal/quant.h"
#include "tfm/kernel.h"

/* Node data (node->data), set by tfm_concatenation_prepare. */
typedef struct TfmConcatenationData {
  int32_t outer;  /* product of dims before the axis */
  int32_t inner;  /* product of dims after the axis */
  int32_t act;    /* fused activation */
  int32_t axis;   /* normalized */
} TfmConcatenationData;

/* The op's prepare: checks the node (inputs, outputs, types, options) and
 * computes what eval needs (node data, scratch requests). */
tfm_status tfm_concatenation_prepare(tfm_context *ctx, tfm_node *node);

/* The reference eval (needs tfm_concatenation_prepare); an override calls it for the
 * cases it does not handle itself. */
tfm_status tfm_concatenation_eval_reference(tfm_context *ctx, tfm_node *node);

#endif /* TFM_KERNELS_CONCATENATION_H */
