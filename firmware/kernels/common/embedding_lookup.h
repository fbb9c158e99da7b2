/* EMBEDDING_LOOKUP: the op's prepare and reference eval, defined in
 * common/embedding_lookup_common.c; a kernel set's override of reference/embedding_lookup.c
 * includes this header, reuses prepare and replaces eval. */
#ifndef TFM_KERNELS_EMBEDDING_LOOKUP_H
#define TFM_KERNELS_EMBEDDING_LOOKUP_H

#include "tfm/kernel.h"

tfm_status tfm_embedding_lookup_prepare(tfm_context *ctx, tfm_node *node);
tfm_status tfm_embedding_lookup_eval_reference(tfm_context *ctx, tfm_node *node);

#endif /* TFM_KERNELS_EMBEDDING_LOOKUP_H */
