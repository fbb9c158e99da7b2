/* DEPTH_TO_SPACE and SPACE_TO_DEPTH (NHWC, option block_size at vtable
 * offset 4): blocks of block x block pixels and depth chunks swap places.
 * DEPTH_TO_SPACE: out[n][h][w][c] = in[n][h/b][w/b][((h%b)*b + w%b)*C_out + c];
 * SPACE_TO_DEPTH is its inverse. Values are copied (any element type). */
#ifndef TFM_KERNELS_SPACE_DEPTH_H
#define TFM_KERNELS_SPACE_DEPTH_H

#include "tfm/kernel.h"

tfm_status tfm_space_depth_prepare(tfm_context *ctx, tfm_node *node, bool to_space);
tfm_status tfm_space_depth_eval(tfm_context *ctx, tfm_node *node, bool to_space);

#endif /* TFM_KERNELS_SPACE_DEPTH_H */
