/* CAST between float32, int8, uint8, int16, uint16, int32, uint32, int64
 * and bool, with C++ static_cast semantics as TFLite (float -> integer
 * truncates toward zero; integer narrowing wraps; -> bool is x != 0). */
#ifndef TFM_KERNELS_CAST_H
#define TFM_KERNELS_CAST_H

#include "tfm/kernel.h"

/* The op's prepare: checks the node (inputs, outputs, types, options) and
 * computes what eval needs (node data, scratch requests). */
tfm_status tfm_cast_prepare(tfm_context *ctx, tfm_node *node);

/* The reference eval (needs tfm_cast_prepare); an override calls it for the
 * cases it does not handle itself. */
tfm_status tfm_cast_eval_reference(tfm_context *ctx, tfm_node *node);

#endif /* TFM_KERNELS_CAST_H */
