/* The interpreter: init (read the model), allocate (resolve, prepare, plan),
 * invoke (run subgraph 0), reset. */
#include <string.h>

#include "runtime.h"
#include "tfm/port.h"

enum { CODE_CUSTOM = 32, MAX_CALL_DEPTH = 16 };

static tfm_status fail_state(tfm_context *ctx, tfm_status status) {
  ctx->state = TFM_STATE_FAILED;
  return status;
}

tfm_status tfm_interpreter_init(tfm_interpreter *it, const void *model, size_t model_size,
                                const tfm_resolver *resolver, uint8_t *arena,
                                size_t arena_size) {
  if (it == NULL) return TFM_BAD_ARGUMENT;
  tfm_context *ctx = &it->ctx;
  memset(it, 0, sizeof *it);
  if (model == NULL || resolver == NULL || arena == NULL) {
    return TFM_RT_FAIL(ctx, TFM_BAD_ARGUMENT, "model, resolver and arena are required");
  }
  if (((uintptr_t)model % 4) != 0 || model_size > 0x7fffffffu) {
    return TFM_RT_FAIL(ctx, TFM_BAD_ARGUMENT, "model buffer must be 4-byte aligned and < 2 GiB");
  }
  ctx->model = (const uint8_t *)model;
  ctx->model_size = (uint32_t)model_size;
  ctx->resolver = resolver;
  tfm_arena_setup(ctx, arena, arena_size);
  ctx->state = TFM_STATE_INIT;
  tfm_status st = tfm_model_load(ctx);
  if (st != TFM_OK) return fail_state(ctx, st);
  return TFM_OK;
}

static void reset_variables(tfm_context *ctx) {
  for (int s = 0; s < ctx->num_subgraphs; ++s) {
    const tfm_subgraph *sg = &ctx->subgraphs[s];
    for (int32_t i = 0; i < sg->num_tensors; ++i) {
      tfm_tensor *t = &sg->tensors[i];
      if ((t->flags & TFM_TENSOR_VARIABLE) && t->data != NULL) {
        /* As TFLite: int8 variables start at their zero point. */
        int v = t->type == TFM_INT8 ? (int)(int8_t)t->zero_point : 0;
        memset(t->data, v, (size_t)tfm_tensor_bytes(t));
      }
    }
  }
  for (tfm_resource *r = ctx->resources; r != NULL; r = r->next) {
    if (r->data != NULL) memset(r->data, 0, (size_t)r->bytes);
  }
}

static tfm_status resolve(tfm_context *ctx, tfm_node *n) {
  const char *custom = NULL;
  if (n->builtin_code == CODE_CUSTOM) TFM_TRY(tfm_model_custom_name(ctx, n, &custom));
  n->kernel = tfm_resolver_find(ctx->resolver, n->builtin_code, custom);
  char where[24] = "";
  if (n->subgraph) tfm_format(where, sizeof where, "subgraph %d ", (int)n->subgraph);
  if (n->kernel == NULL) {
    if (n->builtin_code == CODE_CUSTOM) {
      return TFM_RT_FAIL(ctx, TFM_UNSUPPORTED, "%sop %d: no kernel for CUSTOM op '%s'", where,
                         (int)n->index, custom ? custom : "");
    }
    const char *name = tfm_builtin_name(n->builtin_code);
    (void)name;
    return TFM_RT_FAIL(ctx, TFM_UNSUPPORTED, "%sop %d: no kernel for builtin op %s (code %d)",
                       where, (int)n->index, name ? name : "?", (int)n->builtin_code);
  }
  if (n->version > n->kernel->max_version || n->version < 1) {
    return TFM_RT_FAIL(ctx, TFM_UNSUPPORTED, "%sop %d (%s v%d): version %d not supported "
                       "(max %d)", where, (int)n->index, tfm_node_name(n), (int)n->version,
                       (int)n->version, (int)n->kernel->max_version);
  }
  return TFM_OK;
}

static tfm_status allocate(tfm_context *ctx) {
  /* Variable and resource tensors are persistent: prepare may already use them. */
  for (int s = 0; s < ctx->num_subgraphs; ++s) {
    const tfm_subgraph *sg = &ctx->subgraphs[s];
    for (int32_t i = 0; i < sg->num_tensors; ++i) {
      tfm_tensor *t = &sg->tensors[i];
      if ((t->flags & TFM_TENSOR_CONSTANT) ||
          !((t->flags & TFM_TENSOR_VARIABLE) || t->type == TFM_RESOURCE)) {
        continue;
      }
      const int32_t bytes = tfm_tensor_bytes(t);
      if (bytes <= 0) continue;
      TFM_TRY(tfm_arena_persistent(ctx, (size_t)bytes, &t->data));
      t->flags |= TFM_TENSOR_PERSISTENT;
    }
  }
  for (int s = 0; s < ctx->num_subgraphs; ++s) {
    const tfm_subgraph *sg = &ctx->subgraphs[s];
    for (int j = 0; j < sg->num_nodes; ++j) TFM_TRY(resolve(ctx, &sg->nodes[j]));
  }
  for (int s = 0; s < ctx->num_subgraphs; ++s) {
    const tfm_subgraph *sg = &ctx->subgraphs[s];
    for (int j = 0; j < sg->num_nodes; ++j) {
      tfm_node *n = &sg->nodes[j];
      if (n->kernel->prepare == NULL) continue;
      ctx->current = n;
      ctx->error[0] = '\0';
      tfm_status st = n->kernel->prepare(ctx, n);
      if (st != TFM_OK) {
        if (ctx->error[0] == '\0') tfm_fail(ctx, st, "prepare failed");
        return st;
      }
    }
  }
  ctx->current = NULL;
  const uint32_t *records = (const uint32_t *)(const void *)ctx->base;
  if (ctx->num_scratch > 0) {
    TFM_TRY(tfm_arena_persistent(ctx, sizeof(void *) * (size_t)ctx->num_scratch,
                                 (void **)&ctx->scratch));
  }
  TFM_TRY(tfm_plan(ctx, records));
  tfm_arena_temp_reset(ctx);
  return TFM_OK;
}

tfm_status tfm_interpreter_allocate(tfm_interpreter *it) {
  if (it == NULL) return TFM_BAD_ARGUMENT;
  tfm_context *ctx = &it->ctx;
  if (ctx->state != TFM_STATE_INIT) {
    return TFM_RT_FAIL(ctx, TFM_BAD_STATE, "allocate needs a freshly initialized interpreter");
  }
  ctx->state = TFM_STATE_ALLOCATING;
  tfm_status st = allocate(ctx);
  ctx->current = NULL;
  if (st != TFM_OK) return fail_state(ctx, st);
  reset_variables(ctx);
  ctx->error[0] = '\0';
  ctx->state = TFM_STATE_READY;
  return TFM_OK;
}

tfm_status tfm_invoke_subgraph(tfm_context *ctx, int subgraph) {
  if (subgraph < 0 || subgraph >= ctx->num_subgraphs) {
    return tfm_fail(ctx, TFM_BAD_ARGUMENT, "no subgraph %d", subgraph);
  }
  if (ctx->state != TFM_STATE_READY) {
    return TFM_RT_FAIL(ctx, TFM_BAD_STATE, "invoke before a successful allocate");
  }
  if (ctx->depth >= MAX_CALL_DEPTH) return tfm_fail(ctx, TFM_ERROR, "subgraphs nested too deep");
  tfm_node *caller = ctx->current;
  const tfm_subgraph *sg = &ctx->subgraphs[subgraph];
  tfm_status st = TFM_OK;
  ctx->depth++;
  for (int j = 0; j < sg->num_nodes && st == TFM_OK; ++j) {
    tfm_node *n = &sg->nodes[j];
    ctx->current = n;
    ctx->error[0] = '\0';
    tfm_marker_op_begin();
    uint64_t c0 = tfm_port_cost();
    st = n->kernel->eval(ctx, n);
    uint64_t c1 = tfm_port_cost();
    tfm_marker_op_end();
    if (st != TFM_OK) {
      if (ctx->error[0] == '\0') tfm_fail(ctx, st, "eval failed");
    } else if (ctx->observer != NULL) {
      ctx->observer(ctx->observer_user, subgraph, j, tfm_node_name(n), c1 - c0);
    }
  }
  ctx->depth--;
  ctx->current = caller;
  return st;
}

tfm_status tfm_interpreter_invoke(tfm_interpreter *it) {
  if (it == NULL) return TFM_BAD_ARGUMENT;
  tfm_context *ctx = &it->ctx;
  if (ctx->state != TFM_STATE_READY) {
    return TFM_RT_FAIL(ctx, TFM_BAD_STATE, "invoke before a successful allocate");
  }
  tfm_marker_invoke_begin();
  ctx->current = NULL;
  tfm_status st = tfm_invoke_subgraph(ctx, 0);
  tfm_marker_invoke_end();
  return st;
}

tfm_status tfm_interpreter_reset(tfm_interpreter *it) {
  if (it == NULL) return TFM_BAD_ARGUMENT;
  tfm_context *ctx = &it->ctx;
  if (ctx->state != TFM_STATE_READY) {
    return TFM_RT_FAIL(ctx, TFM_BAD_STATE, "reset before a successful allocate");
  }
  reset_variables(ctx);
  ctx->generation++;
  return TFM_OK;
}

int tfm_interpreter_num_inputs(const tfm_interpreter *it) {
  return it->ctx.subgraphs ? it->ctx.subgraphs[0].num_inputs : 0;
}

int tfm_interpreter_num_outputs(const tfm_interpreter *it) {
  return it->ctx.subgraphs ? it->ctx.subgraphs[0].num_outputs : 0;
}

tfm_tensor *tfm_interpreter_input(tfm_interpreter *it, int i) {
  return it->ctx.subgraphs ? tfm_subgraph_input(&it->ctx, 0, i) : NULL;
}

tfm_tensor *tfm_interpreter_output(tfm_interpreter *it, int i) {
  return it->ctx.subgraphs ? tfm_subgraph_output(&it->ctx, 0, i) : NULL;
}

int tfm_interpreter_num_ops(const tfm_interpreter *it) {
  return it->ctx.subgraphs ? it->ctx.subgraphs[0].num_nodes : 0;
}

void tfm_interpreter_arena_usage(const tfm_interpreter *it, tfm_arena_usage *out) {
  const tfm_context *ctx = &it->ctx;
  size_t peak = ctx->temp_peak > ctx->head ? ctx->temp_peak : ctx->head;
  out->head = ctx->head;
  out->tail = ctx->tail;
  out->total = tfm_arena_required(ctx, peak);
  out->size = ctx->arena_size;
  out->needed = ctx->needed;
}

const char *tfm_interpreter_error(const tfm_interpreter *it) { return it->ctx.error; }

void tfm_interpreter_set_observer(tfm_interpreter *it, tfm_op_observer fn, void *user) {
  it->ctx.observer = fn;
  it->ctx.observer_user = user;
}
