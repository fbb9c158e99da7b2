/* SHAPE: the input's dims as an INT32 or INT64 vector. */
#include "common/ops.h"
#include "common/shape_common.h"
#include "tfm/kernels.h"

static tfm_status prepare(tfm_context *ctx, tfm_node *node) {
  TFM_TRY(tfm_shape_check_io(ctx, node, 1, 1, 1));
  const tfm_tensor *in = tfm_input(ctx, node, 0);
  const tfm_tensor *out = tfm_output(ctx, node, 0);
  if (!tfm_shape_is_index_type(out)) {
    return tfm_fail(ctx, TFM_UNSUPPORTED, "output type %s not supported (INT32/INT64)",
                    tfm_type_name((tfm_type)out->type));
  }
  if (tfm_tensor_elements(out) != in->rank) {
    return tfm_fail(ctx, TFM_BAD_MODEL, "output has %ld elements for input rank %d",
                    (long)tfm_tensor_elements(out), (int)in->rank);
  }
  return TFM_OK;
}

static tfm_status eval(tfm_context *ctx, tfm_node *node) {
  const tfm_tensor *in = tfm_input(ctx, node, 0);
  tfm_tensor *out = tfm_output(ctx, node, 0);
  for (int i = 0; i < in->rank; ++i) {
    if (out->type == TFM_INT32) {
      ((int32_t *)out->data)[i] = in->dims[i];
    } else {
      ((int64_t *)out->data)[i] = in->dims[i];
    }
  }
  return TFM_OK;
}

const tfm_kernel *tfm_register_shape(void) {
  static const tfm_kernel kernel = TFM_BUILTIN_KERNEL(SHAPE, prepare, eval);
  return &kernel;
}
