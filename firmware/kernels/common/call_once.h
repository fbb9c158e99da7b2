/* CALL_ONCE: runs its init subgraph on the first invoke (and again after
 * tfm_interpreter_reset), as TFLite's call_once.cc. */
#ifndef TFM_KERNELS_CALL_ONCE_H
#define TFM_KERNELS_CALL_ONCE_H

#include "tfm/interpreter.h"
#include "tfm/kernel.h"

/* Node data (node->data), set by tfm_call_once_prepare. */
typedef struct TfmCallOnceData {
  uint32_t generation;  /* reset generation of the last run */
  uint8_t done;
} TfmCallOnceData;

/* The op's prepare: checks the node (inputs, outputs, types, options) and
 * computes what eval needs (node data, scratch requests). */
tfm_status tfm_call_once_prepare(tfm_context *ctx, tfm_node *node);

/* The reference eval (needs tfm_call_once_prepare); an override calls it for the
 * cases it does not handle itself. */
tfm_status tfm_call_once_eval_reference(tfm_context *ctx, tfm_node *node);

#endif /* TFM_KERNELS_CALL_ONCE_H */
