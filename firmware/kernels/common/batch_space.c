#include "common/batch_space.h"

#include "common/layout_common.h"
#include "common/shape_common.h"

typedef struct geometry {
  int32_t batch, h, w, c;       /* the space side: [batch, h, w, c] */
  int32_t block_h, block_w;
  int32_t top, left;            /* paddings or crops before h and w */
  int32_t out_h, out_w;         /* the batch side's spatial size */
} geometry;

/* Reads the shapes and parameters; the space side is the input of
 * SPACE_TO_BATCH_ND and the output of BATCH_TO_SPACE_ND. */
static tfm_status read_geometry(tfm_context *ctx, const tfm_node *node, bool to_batch,
                                geometry *g) {
  const tfm_tensor *in = tfm_input(ctx, node, 0);
  const tfm_tensor *out = tfm_output(ctx, node, 0);
  const tfm_tensor *space = to_batch ? in : out, *batch = to_batch ? out : in;
  const int rank = in->rank;
  if ((rank != 3 && rank != 4) || out->rank != rank) {
    return tfm_fail(ctx, TFM_UNSUPPORTED, "input rank %d not supported (3 or 4)", rank);
  }
  int32_t block[2] = {1, 1}, pads[4] = {0, 0, 0, 0};
  int nb, np;
  TFM_TRY(tfm_layout_read_ints(ctx, "block_shape", tfm_input(ctx, node, 1), block, 2, &nb, 1, 1));
  TFM_TRY(tfm_layout_read_ints(ctx, to_batch ? "paddings" : "crops", tfm_input(ctx, node, 2), pads,
                               4, &np, 2, 2));
  if (nb != rank - 2 || np != 2 * nb) {
    return tfm_fail(ctx, TFM_BAD_MODEL, "block_shape needs %d entries and %s [%d, 2]", rank - 2,
                    to_batch ? "paddings" : "crops", rank - 2);
  }
  g->batch = space->dims[0];
  g->h = space->dims[1];
  g->w = rank == 4 ? space->dims[2] : 1;
  g->c = space->dims[rank - 1];
  g->block_h = block[0];
  g->block_w = rank == 4 ? block[1] : 1;
  g->top = pads[0];
  g->left = rank == 4 ? pads[2] : 0;
  const int32_t bottom = pads[1], right = rank == 4 ? pads[3] : 0;
  if (g->block_h < 1 || g->block_w < 1 || g->top < 0 || g->left < 0 || bottom < 0 || right < 0) {
    return tfm_fail(ctx, TFM_BAD_ARGUMENT, "block_shape must be >= 1 and %s >= 0",
                    to_batch ? "paddings" : "crops");
  }
  /* The batch side covers the space side plus paddings (minus crops). */
  const int64_t span_h = (int64_t)g->h + g->top + bottom, span_w = (int64_t)g->w + g->left + right;
  g->out_h = batch->dims[1];
  g->out_w = rank == 4 ? batch->dims[2] : 1;
  if (span_h != (int64_t)g->out_h * g->block_h || span_w != (int64_t)g->out_w * g->block_w ||
      (int64_t)batch->dims[0] != (int64_t)g->batch * g->block_h * g->block_w ||
      batch->dims[rank - 1] != g->c) {
    return tfm_fail(ctx, TFM_BAD_MODEL, "shapes do not match block_shape and %s",
                    to_batch ? "paddings" : "crops");
  }
  return TFM_OK;
}

tfm_status tfm_batch_space_prepare(tfm_context *ctx, tfm_node *node, bool to_batch) {
  TFM_TRY(tfm_shape_check_io(ctx, node, 3, 3, 1));
  const tfm_tensor *in = tfm_input(ctx, node, 0);
  const tfm_tensor *out = tfm_output(ctx, node, 0);
  TFM_TRY(tfm_layout_same_type(ctx, "input", in, "output", out, true));
  geometry g;
  /* Constant parameters are checked now; others once per eval. */
  if (tfm_input(ctx, node, 1)->data && tfm_input(ctx, node, 2)->data) {
    TFM_TRY(read_geometry(ctx, node, to_batch, &g));
  }
  return TFM_OK;
}

tfm_status tfm_batch_space_eval(tfm_context *ctx, tfm_node *node, bool to_batch) {
  const tfm_tensor *in = tfm_input(ctx, node, 0);
  tfm_tensor *out = tfm_output(ctx, node, 0);
  geometry g;
  TFM_TRY(read_geometry(ctx, node, to_batch, &g));
  const size_t es = tfm_type_size((tfm_type)in->type), run = es * (size_t)g.c;
  const uint8_t *src = (const uint8_t *)in->data;
  uint8_t *dst = (uint8_t *)out->data;
  /* Padding value: the output zero point for 1-byte types, else 0. */
  const uint8_t pad = es == 1 ? (uint8_t)out->zero_point : 0;
  const int32_t nbatch = g.batch * g.block_h * g.block_w;
  for (int32_t b = 0; b < nbatch; ++b) {
    const int32_t sb = b % g.batch, shift = b / g.batch;
    const int32_t sh = shift / g.block_w, sw = shift % g.block_w;
    for (int32_t y = 0; y < g.out_h; ++y) {
      for (int32_t x = 0; x < g.out_w; ++x) {
        const int32_t h = y * g.block_h + sh - g.top, w = x * g.block_w + sw - g.left;
        const bool inside = h >= 0 && h < g.h && w >= 0 && w < g.w;
        const size_t b_off = (((size_t)b * g.out_h + y) * g.out_w + x) * run;
        const size_t s_off = (((size_t)sb * g.h + h) * g.w + w) * run;
        if (to_batch) {
          if (inside) {
            tfm_shape_copy(dst + b_off, src + s_off, run);
          } else {
            for (size_t k = 0; k < run; ++k) dst[b_off + k] = pad;
          }
        } else if (inside) { /* cropped positions are dropped */
          tfm_shape_copy(dst + s_off, src + b_off, run);
        }
      }
    }
  }
  return TFM_OK;
}
