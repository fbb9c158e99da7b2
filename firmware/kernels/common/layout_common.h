/* Helpers of the newer data-movement ops (SELECT_V2, BROADCAST_TO, FILL,
 * BROADCAST_ARGS, REVERSE_V2, DEPTH_TO_SPACE, SPACE_TO_DEPTH, MIRROR_PAD,
 * SPACE_TO_BATCH_ND, BATCH_TO_SPACE_ND, GATHER_ND, DYNAMIC_UPDATE_SLICE,
 * CUMSUM); element copies go through common/shape_common.h. */
#ifndef TFM_KERNELS_LAYOUT_COMMON_H
#define TFM_KERNELS_LAYOUT_COMMON_H

#include "tfm/kernel.h"

/* Element steps that read `in` broadcast to `out` (numpy rules, shapes
 * right-aligned): steps[d] for output dim d (out->rank entries) is in's
 * row-major stride, or 0 where in has no such dim or a dim of 1. Fails
 * naming `role` when in does not broadcast to out. */
tfm_status tfm_layout_bcast_steps(tfm_context *ctx, const char *role, const tfm_tensor *in,
                                  const tfm_tensor *out, int32_t *steps);

/* Reads the INT32/INT64 tensor `t` of rank min_rank..max_rank (scalar 0,
 * vector 1, [n, 2] paddings 2) into values in row-major order (at most
 * `max` entries; *n the count), failing with a message naming `role` for
 * other types, ranks or sizes, or values outside int32. */
tfm_status tfm_layout_read_ints(tfm_context *ctx, const char *role, const tfm_tensor *t,
                                int32_t *values, int max, int *n, int min_rank, int max_rank);

/* Fails unless `t`'s dims equal dims[0..rank) (the static output of an op
 * whose shape comes from a tensor); `role` names it. */
tfm_status tfm_layout_expect_dims(tfm_context *ctx, const char *role, const tfm_tensor *t,
                                  const int32_t *dims, int rank);

/* Fails unless a and b have the same type and (when `same_quant`) the same
 * scale and zero point: ops that move quantized values without rescaling. */
tfm_status tfm_layout_same_type(tfm_context *ctx, const char *a_role, const tfm_tensor *a,
                                const char *b_role, const tfm_tensor *b, bool same_quant);

#endif /* TFM_KERNELS_LAYOUT_COMMON_H */
