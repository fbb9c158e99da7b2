/* The job runner: init + allocate, then per invocation copy inputs, invoke
 * and print OP/INVOKE/OUTPUT lines (docs/protocol.md). */
#include "app.h"

#include <string.h>

#include "tfm/interpreter.h"
#include "tfm/port.h"

#ifndef TFM_APP_MAX_OPS
/* Room for every registered kernel: the generated ops.c of an embedded (freestanding)
 * image registers only the model's ops; the hosted all-ops runner registers the whole
 * table (about 130). A full table is reported, never silently ignored. */
#if __STDC_HOSTED__
#define TFM_APP_MAX_OPS 256
#else
#define TFM_APP_MAX_OPS 64
#endif
#endif
/* OP lines are buffered during invoke (printing would be counted as the
 * op's neighbours' cost) and flushed when the buffer fills or after invoke. */
#ifndef TFM_APP_OP_RECORDS
#define TFM_APP_OP_RECORDS 64
#endif

typedef struct op_record {
  const char *name;
  uint64_t cost;
  uint16_t subgraph;
  uint16_t op;
} op_record;

static tfm_interpreter g_interpreter;
static tfm_resolver_entry g_entries[TFM_APP_MAX_OPS];
static op_record g_ops[TFM_APP_OP_RECORDS];
static int g_num_ops;
static uint32_t g_invocation;

static void line(const char *fmt, ...) {
  char buf[TFM_ERROR_MESSAGE_SIZE + 64];
  va_list ap;
  va_start(ap, fmt);
  int n = tfm_vformat(buf, sizeof buf - 1, fmt, ap);
  va_end(ap);
  /* Model strings (op and variable names) reach error messages: a line break
   * in them must not start a protocol line of its own. */
  for (int i = 0; i < n; ++i) {
    if (buf[i] == '\n' || buf[i] == '\r') buf[i] = '?';
  }
  buf[n++] = '\n';
  tfm_port_write(buf, (size_t)n);
}

static void flush_ops(void) {
  for (int i = 0; i < g_num_ops; ++i) {
    const op_record *r = &g_ops[i];
    line("TFM OP %lu %d %d %s cost=%lu", (unsigned long)g_invocation, (int)r->subgraph,
         (int)r->op, r->name, (unsigned long)r->cost);
  }
  g_num_ops = 0;
}

static void observe(void *user, int subgraph, int op_index, const char *op_name, uint64_t cost) {
  (void)user;
  if (g_num_ops == TFM_APP_OP_RECORDS) flush_ops();
  op_record *r = &g_ops[g_num_ops++];
  r->name = op_name;
  r->cost = cost;
  r->subgraph = (uint16_t)subgraph;
  r->op = (uint16_t)op_index;
}

static int fail(tfm_status st, int code) {
  line("TFM ERROR %s %s", tfm_status_name(st), tfm_interpreter_error(&g_interpreter));
  line("TFM END FAIL");
  return code;
}

static size_t start_loss(const uint8_t *arena, size_t size) {
  size_t loss = (size_t)(-(uintptr_t)arena & 15u);
  return loss < size ? loss : size;
}

/* Allocate failed for lack of arena. The failing allocation says little (the
 * first op's data may fail long before the plan is known), so when the job
 * offers spare memory, init + allocate run again there and the whole need is
 * reported, as it would be for `arena_size`: plan first, then compare. */
static int fail_arena(const tfm_app_job *job, const tfm_resolver *resolver) {
  tfm_interpreter *it = &g_interpreter;
  tfm_arena_usage u;
  tfm_interpreter_arena_usage(it, &u);
  size_t at_least = u.needed;
  if (job->measure != NULL && job->measure_size > job->arena_size) {
    tfm_status st = tfm_interpreter_init(it, job->model, job->model_size, resolver,
                                         job->measure, job->measure_size);
    if (st == TFM_OK) st = tfm_interpreter_allocate(it);
    tfm_interpreter_arena_usage(it, &u);
    if (st == TFM_OK) {
      size_t need = u.total - start_loss(job->measure, job->measure_size) +
                    start_loss(job->arena, job->arena_size);
      line("TFM ERROR ARENA_TOO_SMALL arena too small: needs %lu bytes, has %lu needed=%lu",
           (unsigned long)need, (unsigned long)job->arena_size, (unsigned long)need);
      line("TFM END FAIL");
      return 1;
    }
    if (st == TFM_ARENA_TOO_SMALL && u.needed > at_least) at_least = u.needed;
  }
  line("TFM ERROR ARENA_TOO_SMALL arena too small: needs at least %lu bytes, has %lu "
       "needed=%lu", (unsigned long)at_least, (unsigned long)job->arena_size,
       (unsigned long)at_least);
  line("TFM END FAIL");
  return 1;
}

static void print_output(uint32_t inv, int index, const tfm_tensor *t) {
  char buf[96];
  int n = tfm_format(buf, sizeof buf, "TFM OUTPUT %lu %d %s ", (unsigned long)inv, index,
                     tfm_type_name((tfm_type)t->type));
  if (t->rank == 0) {
    n += tfm_format(buf + n, sizeof buf - (size_t)n, "scalar");
  }
  for (int d = 0; d < t->rank; ++d) {
    n += tfm_format(buf + n, sizeof buf - (size_t)n, d ? "x%d" : "%d", (int)t->dims[d]);
  }
  buf[n++] = ' ';
  tfm_port_write(buf, (size_t)n);
  static const char hex[] = "0123456789abcdef";
  const uint8_t *p = (const uint8_t *)t->data;
  n = 0;
  const int32_t bytes = tfm_tensor_bytes(t);
  for (int32_t i = 0; p != NULL && i < bytes; ++i) {
    buf[n++] = hex[p[i] >> 4];
    buf[n++] = hex[p[i] & 15];
    if (n >= (int)sizeof buf - 2) {
      tfm_port_write(buf, (size_t)n);
      n = 0;
    }
  }
  buf[n++] = '\n';
  tfm_port_write(buf, (size_t)n);
}

int tfm_app_run(const tfm_app_job *job) {
  tfm_interpreter *it = &g_interpreter;
  tfm_resolver resolver;
  line("TFM BEGIN v1");
  tfm_resolver_init(&resolver, g_entries, TFM_APP_MAX_OPS);
  tfm_app_register_ops(&resolver);
  if (resolver.overflowed) {
    line("TFM ERROR BAD_ARGUMENT op resolver full: %d kernel(s) not registered "
         "(TFM_APP_MAX_OPS=%d)", resolver.overflowed, (int)TFM_APP_MAX_OPS);
    line("TFM END FAIL");
    return 2;
  }

  uint64_t c0 = tfm_port_cost();
  tfm_marker_init_begin();
  tfm_status st = tfm_interpreter_init(it, job->model, job->model_size, &resolver, job->arena,
                                       job->arena_size);
  bool loaded = st == TFM_OK;
  if (st == TFM_OK) st = tfm_interpreter_allocate(it);
  tfm_marker_init_end();
  uint64_t c1 = tfm_port_cost();
  if (loaded) {
    line("TFM MODEL bytes=%lu subgraphs=%d ops=%d inputs=%d outputs=%d",
         (unsigned long)job->model_size, tfm_subgraph_count(&it->ctx), tfm_interpreter_num_ops(it),
         tfm_interpreter_num_inputs(it), tfm_interpreter_num_outputs(it));
  }
  if (st == TFM_ARENA_TOO_SMALL) return fail_arena(job, &resolver);
  if (st != TFM_OK) return fail(st, 1);
  tfm_arena_usage u;
  tfm_interpreter_arena_usage(it, &u);
  line("TFM ARENA head=%lu tail=%lu total=%lu size=%lu", (unsigned long)u.head,
       (unsigned long)u.tail, (unsigned long)u.total, (unsigned long)u.size);
  line("TFM INIT cost=%lu", (unsigned long)(c1 - c0));

  size_t per_invocation = 0;
  for (int i = 0; i < tfm_interpreter_num_inputs(it); ++i) {
    per_invocation += (size_t)tfm_tensor_bytes(tfm_interpreter_input(it, i));
  }
  bool zero_inputs = job->inputs == NULL && job->inputs_size == 0;
  if (!zero_inputs && job->inputs_size != per_invocation * job->invocations) {
    line("TFM ERROR BAD_ARGUMENT inputs blob is %lu bytes, expected %lu (%lu invocations x "
         "%lu bytes)", (unsigned long)job->inputs_size,
         (unsigned long)(per_invocation * job->invocations), (unsigned long)job->invocations,
         (unsigned long)per_invocation);
    line("TFM END FAIL");
    return 2;
  }

  tfm_interpreter_set_observer(it, observe, NULL);
  const uint8_t *in = job->inputs;
  for (uint32_t k = 0; k < job->invocations; ++k) {
    for (int i = 0; i < tfm_interpreter_num_inputs(it); ++i) {
      tfm_tensor *t = tfm_interpreter_input(it, i);
      if (t->data == NULL) continue;
      const size_t bytes = (size_t)tfm_tensor_bytes(t);
      if (zero_inputs) {
        memset(t->data, 0, bytes);
      } else {
        memcpy(t->data, in, bytes);
        in += bytes;
      }
    }
    g_invocation = k;
    g_num_ops = 0;
    c0 = tfm_port_cost();
    st = tfm_interpreter_invoke(it);
    c1 = tfm_port_cost();
    flush_ops();
    if (st != TFM_OK) return fail(st, 1);
    line("TFM INVOKE %lu cost=%lu", (unsigned long)k, (unsigned long)(c1 - c0));
    for (int i = 0; i < tfm_interpreter_num_outputs(it); ++i) {
      print_output(k, i, tfm_interpreter_output(it, i));
    }
  }
  int32_t used = tfm_port_stack_used(), size = tfm_port_stack_size();
  if (used >= 0 && size >= 0) line("TFM STACK used=%ld size=%ld", (long)used, (long)size);
  line("TFM COST unit=%s", tfm_port_cost_unit());
  line("TFM END PASS");
  return 0;
}
