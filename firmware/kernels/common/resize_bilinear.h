/* RESIZE_BILINEAR (NHWC) as TFLite's reference kernels.
 *
 * float32: float scale, source y = y * scale (half pixel: (y + 0.5) * scale
 *   - 0.5), y0 = max(floor, 0), y1 = min(ceil, H - 1), weights from the
 *   fraction (which may be negative at the border with half pixel centers).
 * int8/int16 (ResizeBilinearInteger): the same in 10-bit fixed point:
 *   scale_10 = (1024 * in + out / 2) / out (align corners: (in-1)/(out-1)),
 *   half pixel: y * scale_10 + scale_10 / 2 - 512; y0 = max(sy / 1024, 0),
 *   y1 = min((sy + 1023) / 1024, H - 1) (C division); the four products
 *   summed in int64, rounded half away from zero at 2^20. */
#ifndef TFM_KERNELS_RESIZE_BILINEAR_H
#define TFM_KERNELS_RESIZE_BILINEAR_H

#include "tfm/kernel.h"

/* The op's prepare: checks the node (inputs, outputs, types, options) and
 * computes what eval needs (node data, scratch requests). */
tfm_status tfm_resize_bilinear_prepare(tfm_context *ctx, tfm_node *node);

/* The reference eval (needs tfm_resize_bilinear_prepare); an override calls it for the
 * cases it does not handle itself. */
tfm_status tfm_resize_bilinear_eval_reference(tfm_context *ctx, tfm_node *node);

#endif /* TFM_KERNELS_RESIZE_BILINEAR_H */
