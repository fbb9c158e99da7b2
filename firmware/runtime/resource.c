/* Resource variables (VAR_HANDLE / READ_VARIABLE / ASSIGN_VARIABLE): a list in
 * the arena tail keyed by container + shared_name, as TFLM's
 * MicroResourceVariables. Buffers are allocated when an ASSIGN_VARIABLE is
 * prepared, sized by the assigned tensor. */
#include <string.h>

#include "runtime.h"

static bool same(const char *a, const char *b) {
  if (a == NULL || b == NULL) return a == b || (a ? *a : *b) == '\0';
  return strcmp(a, b) == 0;
}

tfm_status tfm_resource_get(tfm_context *ctx, const char *container, const char *shared_name,
                            tfm_resource **out) {
  for (tfm_resource *r = ctx->resources; r != NULL; r = r->next) {
    if (same(r->container, container) && same(r->shared_name, shared_name)) {
      *out = r;
      return TFM_OK;
    }
  }
  tfm_resource *r;
  TFM_TRY(tfm_alloc_persistent(ctx, sizeof *r, (void **)&r));
  r->container = container;
  r->shared_name = shared_name;
  r->id = ctx->num_resources++;
  r->next = ctx->resources;
  ctx->resources = r;
  *out = r;
  return TFM_OK;
}

tfm_resource *tfm_resource_by_id(tfm_context *ctx, int32_t id) {
  for (tfm_resource *r = ctx->resources; r != NULL; r = r->next) {
    if (r->id == id) return r;
  }
  return NULL;
}

tfm_status tfm_resource_allocate(tfm_context *ctx, tfm_resource *r, int32_t bytes) {
  if (r->data != NULL) {
    if (r->bytes != bytes) {
      return tfm_fail(ctx, TFM_UNSUPPORTED, "resource variable '%s' assigned %d bytes, "
                      "holds %d", r->shared_name ? r->shared_name : "", (int)bytes,
                      (int)r->bytes);
    }
    return TFM_OK;
  }
  TFM_TRY(tfm_alloc_persistent(ctx, (size_t)(bytes > 0 ? bytes : 1), &r->data));
  r->bytes = bytes;
  return TFM_OK;
}
