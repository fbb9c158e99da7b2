/* BROADCAST_ARGS: the broadcast (numpy rules) of two shape vectors, INT32 or
 * INT64 (both inputs and the output of one type). Incompatible shapes fail. */
#include "common/broadcast_args.h"

#include "common/layout_common.h"
#include "common/shape_common.h"
#include "tfm/kernels.h"

#define MAX_LEN 16

tfm_status tfm_broadcast_args_prepare(tfm_context *ctx, tfm_node *node) {
  TFM_TRY(tfm_shape_check_io(ctx, node, 2, 2, 1));
  const tfm_tensor *s0 = tfm_input(ctx, node, 0);
  const tfm_tensor *s1 = tfm_input(ctx, node, 1);
  const tfm_tensor *out = tfm_output(ctx, node, 0);
  if (!tfm_shape_is_index_type(out) || s0->type != out->type || s1->type != out->type) {
    return tfm_fail(ctx, TFM_UNSUPPORTED, "inputs and output must share INT32 or INT64");
  }
  const int32_t n0 = tfm_tensor_elements(s0), n1 = tfm_tensor_elements(s1);
  if (s0->rank != 1 || s1->rank != 1 || out->rank != 1 ||
      out->dims[0] != (n0 > n1 ? n0 : n1)) {
    return tfm_fail(ctx, TFM_BAD_MODEL, "needs vectors, output length max(%d, %d)", n0, n1);
  }
  return TFM_OK;
}

tfm_status tfm_broadcast_args_eval_reference(tfm_context *ctx, tfm_node *node) {
  int32_t a[MAX_LEN], b[MAX_LEN];
  int na, nb;
  TFM_TRY(tfm_layout_read_ints(ctx, "shape 0", tfm_input(ctx, node, 0), a, MAX_LEN, &na, 1, 1));
  TFM_TRY(tfm_layout_read_ints(ctx, "shape 1", tfm_input(ctx, node, 1), b, MAX_LEN, &nb, 1, 1));
  tfm_tensor *out = tfm_output(ctx, node, 0);
  const int n = na > nb ? na : nb;
  for (int k = 0; k < n; ++k) { /* k counts from the innermost dim */
    const int32_t da = k < na ? a[na - 1 - k] : 1, db = k < nb ? b[nb - 1 - k] : 1;
    if (da != db && da != 1 && db != 1) {
      return tfm_fail(ctx, TFM_BAD_ARGUMENT, "shapes do not broadcast: %d vs %d", da, db);
    }
    const int32_t v = da == 1 ? db : da;
    if (out->type == TFM_INT32) ((int32_t *)out->data)[n - 1 - k] = v;
    else ((int64_t *)out->data)[n - 1 - k] = v;
  }
  return TFM_OK;
}
