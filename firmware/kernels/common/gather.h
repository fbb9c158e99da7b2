/* GATHER: params[batch..., outer..., indices..., inner...] along `axis`,
 * with `batch_dims` leading dims shared by params and indices. An index
 * outside [0, dim) fails the invoke, as TFLite does. */
#ifndef TFM_KERNELS_GATHER_H
#define TFM_KERNELS_GATHER_H

#include "common/shape_common.h"
#include "tfm/kernel.h"

/* Node data (node->data), set by tfm_gather_prepare. */
typedef struct TfmGatherData {
  int32_t batch, outer, inner, coords, axis_size;
} TfmGatherData;

/* The op's prepare: checks the node (inputs, outputs, types, options) and
 * computes what eval needs (node data, scratch requests). */
tfm_status tfm_gather_prepare(tfm_context *ctx, tfm_node *node);

/* The reference eval (needs tfm_gather_prepare); an override calls it for the
 * cases it does not handle itself. */
tfm_status tfm_gather_eval_reference(tfm_context *ctx, tfm_node *node);

#endif /* TFM_KERNELS_GATHER_H */
