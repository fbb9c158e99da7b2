/* RESIZE_NEAREST_NEIGHBOR (NHWC), align_corners / half_pixel_centers as
 * TFLite's GetNearestNeighbor: float scale, floor (or round when aligning
 * corners) of (x + offset) * scale, clamped to the input. */
#ifndef TFM_KERNELS_RESIZE_NEAREST_NEIGHBOR_H
#define TFM_KERNELS_RESIZE_NEAREST_NEIGHBOR_H

#include "tfm/kernel.h"

/* The op's prepare: checks the node (inputs, outputs, types, options) and
 * computes what eval needs (node data, scratch requests). */
tfm_status tfm_resize_nearest_neighbor_prepare(tfm_context *ctx, tfm_node *node);

/* The reference eval (needs tfm_resize_nearest_neighbor_prepare); an override calls it for the
 * cases it does not handle itself. */
tfm_status tfm_resize_nearest_neighbor_eval_reference(tfm_context *ctx, tfm_node *node);

#endif /* TFM_KERNELS_RESIZE_NEAREST_NEIGHBOR_H */
