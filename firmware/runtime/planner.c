/* Memory planner for activation tensors and scratch buffers.
 *
 * 1. Lifetimes: one timeline over every subgraph. Subgraph 0's operators get
 *    increasing times; a control-flow operator (IF/WHILE/CALL_ONCE) spans
 *    [begin, end] with its callees' operators inlined in between, so callee
 *    tensors never share memory with tensors live across the call. A callee's
 *    inputs/outputs live for the whole call (the caller copies in and out);
 *    subgraph 0's inputs live from time 0, its outputs to the end. Subgraphs
 *    nobody calls get their own segment at the end. Scratch buffers live
 *    during their operator only.
 * 2. Placement: offline offsets ("OfflineMemoryAllocation") first, then
 *    greedy placement as TFLM's GreedyMemoryPlanner: each buffer at the
 *    lowest offset that overlaps no placed buffer with an overlapping
 *    lifetime. Two orders are tried (largest first, as TFLM; then longest
 *    lifetime first) and the smaller plan is kept. Sizes are 16-byte multiples.
 *
 * Working memory is temporary, at the arena head, and kept small (one record
 * per buffer): while planning, a plannable tensor's `data` field holds its
 * buffer number + 1 instead of a tensor->buffer map. */
#include <stdint.h>
#include <string.h>

#include "runtime.h"

enum { MAX_DEPTH = 8, MAX_STEPS = 1 << 22, ALIGN = 16 };

typedef struct buf {
  uint32_t size;    /* a multiple of 16; bit 0 set = fixed by the offline plan */
  int32_t first;    /* -1 = never used */
  int32_t last;
  int32_t offset;   /* -1 until placed */
} buf;

typedef struct plan {
  tfm_context *ctx;
  const uint32_t *records; /* scratch requests: {size, subgraph << 16 | op} */
  buf *bufs;
  int32_t num_tensor_bufs;
  struct sub {
    int32_t first;         /* call interval, -1 = not called yet */
    int32_t last;
    int32_t on_stack;
  } *subs;
  int32_t t;
} plan;

static bool plannable(const tfm_tensor *t) {
  return (t->flags & (TFM_TENSOR_CONSTANT | TFM_TENSOR_PERSISTENT)) == 0 &&
         tfm_tensor_bytes(t) > 0;
}

/* Once buffers are numbered: plannable tensors are exactly the non-constant,
 * non-persistent ones with a `data` field (buffer number + 1); the others
 * still have NULL. Cheaper than plannable() on the hot paths. */
static bool has_buffer(const tfm_tensor *t) {
  return (t->flags & (TFM_TENSOR_CONSTANT | TFM_TENSOR_PERSISTENT)) == 0 && t->data != NULL;
}

static void extend(buf *b, int32_t first, int32_t last) {
  if (b->first < 0 || first < b->first) b->first = first;
  if (last > b->last) b->last = last;
}

static void use_tensor(plan *p, const tfm_subgraph *sg, int32_t ti, int32_t b, int32_t e) {
  const tfm_tensor *t = &sg->tensors[ti];
  if (has_buffer(t)) extend(&p->bufs[(uintptr_t)t->data - 1], b, e);
}

static tfm_status walk(plan *p, int s, int depth) {
  tfm_context *ctx = p->ctx;
  const tfm_subgraph *sg = &ctx->subgraphs[s];
  p->subs[s].on_stack = 1;
  for (int j = 0; j < sg->num_nodes; ++j) {
    const tfm_node *n = &sg->nodes[j];
    int32_t callees[2];
    int nc = tfm_node_callees(n, callees);
    int32_t begin = ++p->t;
    if (p->t > MAX_STEPS) return TFM_RT_FAIL(ctx, TFM_UNSUPPORTED, "control flow too deep");
    for (int c = 0; c < nc; ++c) {
      int32_t cs = callees[c];
      if (cs <= 0 || cs >= ctx->num_subgraphs || p->subs[cs].on_stack || depth >= MAX_DEPTH) {
        return TFM_RT_FAIL(ctx, TFM_BAD_MODEL, "subgraph %d op %d: bad or recursive callee "
                           "subgraph %d", s, j, (int)cs);
      }
      TFM_TRY(walk(p, cs, depth + 1));
    }
    int32_t end = nc ? ++p->t : begin;
    for (int c = 0; c < nc; ++c) {
      int32_t cs = callees[c];
      if (p->subs[cs].first < 0 || begin < p->subs[cs].first) p->subs[cs].first = begin;
      if (end > p->subs[cs].last) p->subs[cs].last = end;
    }
    for (int k = 0; k < n->num_inputs; ++k) {
      if (n->inputs[k] >= 0) use_tensor(p, sg, n->inputs[k], begin, end);
    }
    for (int k = 0; k < n->num_outputs; ++k) {
      if (n->outputs[k] >= 0) use_tensor(p, sg, n->outputs[k], begin, end);
    }
    uint32_t key = ((uint32_t)s << 16) | (uint32_t)j;
    for (int32_t i = 0; i < ctx->num_scratch; ++i) {
      if (p->records[2 * i + 1] == key) extend(&p->bufs[p->num_tensor_bufs + i], begin, end);
    }
  }
  p->subs[s].on_stack = 0;
  return TFM_OK;
}

static tfm_status temp_array(tfm_context *ctx, size_t count, size_t elem, void **out) {
  if (count > 0x7fffffffu / elem) return tfm_arena_too_small(ctx, (size_t)-1);
  return tfm_arena_temp(ctx, count > 0 ? count * elem : 8, 8, out);
}

static tfm_status lifetimes(plan *p) {
  tfm_context *ctx = p->ctx;
  int S = ctx->num_subgraphs;
  for (int s = 0; s < S; ++s) p->subs[s].first = p->subs[s].last = -1, p->subs[s].on_stack = 0;
  p->t = 0;
  TFM_TRY(walk(p, 0, 0));
  for (int s = 1; s < S; ++s) {
    if (p->subs[s].first >= 0) continue;
    int32_t begin = ++p->t;
    TFM_TRY(walk(p, s, 1));
    p->subs[s].first = begin;
    p->subs[s].last = ++p->t;
  }
  p->subs[0].first = 0;
  p->subs[0].last = ++p->t;
  for (int s = 0; s < S; ++s) {
    const tfm_subgraph *sg = &ctx->subgraphs[s];
    int32_t f = p->subs[s].first, l = p->subs[s].last;
    for (int i = 0; i < sg->num_inputs; ++i) use_tensor(p, sg, sg->inputs[i], f, s ? l : f);
    for (int i = 0; i < sg->num_outputs; ++i) use_tensor(p, sg, sg->outputs[i], s ? f : l, l);
  }
  return TFM_OK;
}

static bool overlap(const buf *a, const buf *b) {
  return a->first <= b->last && b->first <= a->last;
}

/* Insert buffer `i` into `placed` (sorted by offset). */
static void insert_placed(const buf *bufs, int32_t *placed, int32_t *n, int32_t i) {
  int32_t k = *n;
  while (k > 0 && bufs[placed[k - 1]].offset > bufs[i].offset) {
    placed[k] = placed[k - 1];
    --k;
  }
  placed[k] = i;
  ++*n;
}

/* Does `a` go before `b` in placement order `strategy`? */
static bool before(const buf *a, const buf *b, int strategy) {
  if (strategy == 1) {
    int32_t la = a->last - a->first, lb = b->last - b->first;
    if (la != lb) return la > lb;
  }
  if (a->size != b->size) return a->size > b->size;
  return a->first < b->first;
}

/* Place every unfixed, used buffer; returns the head size (SIZE_MAX when
 * over 2 GiB). Fixed (offline) buffers keep their offsets. */
static size_t greedy(buf *bufs, int32_t nb, int32_t *placed, int strategy) {
  int32_t np = 0;
  for (int32_t i = 0; i < nb; ++i) {
    if (bufs[i].size & 1u) insert_placed(bufs, placed, &np, i);
    else bufs[i].offset = -1;
  }
  for (;;) {
    int32_t best = -1;  /* next buffer: selection keeps working memory at one array */
    for (int32_t i = 0; i < nb; ++i) {
      if (bufs[i].offset >= 0 || bufs[i].first < 0) continue;
      if (best < 0 || before(&bufs[i], &bufs[best], strategy)) best = i;
    }
    if (best < 0) break;
    buf *b = &bufs[best];
    uint64_t cand = 0;
    for (int32_t k = 0; k < np; ++k) {
      const buf *q = &bufs[placed[k]];
      if (!overlap(b, q)) continue;
      if ((uint64_t)q->offset >= cand + b->size) break;
      uint64_t q_end = (uint64_t)q->offset + (q->size & ~1u);
      if (q_end > cand) cand = q_end;
    }
    if (cand + b->size > 0x7fffffffu) return SIZE_MAX; /* no arena can hold this plan */
    b->offset = (int32_t)cand;
    insert_placed(bufs, placed, &np, best);
  }
  size_t head = 0;
  for (int32_t i = 0; i < nb; ++i) {
    if (bufs[i].first < 0) continue;
    size_t e = (size_t)bufs[i].offset + (bufs[i].size & ~1u);
    if (e > head) head = e;
  }
  return head;
}

static void set_pointers(tfm_context *ctx, const buf *bufs, int32_t num_tensor_bufs) {
  for (int s = 0; s < ctx->num_subgraphs; ++s) {
    const tfm_subgraph *sg = &ctx->subgraphs[s];
    for (int32_t i = 0; i < sg->num_tensors; ++i) {
      tfm_tensor *t = &sg->tensors[i];
      if (!has_buffer(t)) continue;
      const buf *b = &bufs[(uintptr_t)t->data - 1];
      t->data = b->first >= 0 ? ctx->base + b->offset : NULL;
    }
  }
  for (int32_t i = 0; i < ctx->num_scratch; ++i) {
    ctx->scratch[i] = ctx->base + bufs[num_tensor_bufs + i].offset;
  }
}

tfm_status tfm_plan(tfm_context *ctx, const uint32_t *scratch_records) {
  plan p;
  memset(&p, 0, sizeof p);
  p.ctx = ctx;
  p.records = scratch_records;
  int S = ctx->num_subgraphs;
  int32_t nt = 0;
  for (int s = 0; s < S; ++s) {
    const tfm_subgraph *sg = &ctx->subgraphs[s];
    for (int32_t i = 0; i < sg->num_tensors; ++i) nt += plannable(&sg->tensors[i]) ? 1 : 0;
  }
  int32_t nb = nt + ctx->num_scratch;
  int32_t *placed;
  /* Working memory is known up front: when it does not fit, `needed` is
   * still exact unless the plan itself turns out larger than it. */
  size_t work = tfm_align_up((size_t)S * sizeof(struct sub), 8) +
                tfm_align_up((size_t)nb * sizeof(buf), 8) + tfm_align_up((size_t)nb * 4, 8);
  if (ctx->temp + work + ctx->tail > (size_t)(ctx->end - ctx->base)) {
    return tfm_arena_too_small(ctx, tfm_arena_required(ctx, ctx->temp + work));
  }
  TFM_TRY(temp_array(ctx, (size_t)S, sizeof(struct sub), (void **)&p.subs));
  TFM_TRY(temp_array(ctx, (size_t)nb, sizeof(buf), (void **)&p.bufs));
  TFM_TRY(temp_array(ctx, (size_t)nb, sizeof(int32_t), (void **)&placed));
  p.num_tensor_bufs = nt;

  const int32_t *offline;
  int32_t num_offline;
  TFM_TRY(tfm_model_offline_offsets(ctx, &offline, &num_offline));
  int32_t b = 0, g = 0;
  for (int s = 0; s < S; ++s) {
    const tfm_subgraph *sg = &ctx->subgraphs[s];
    for (int32_t i = 0; i < sg->num_tensors; ++i, ++g) {
      tfm_tensor *t = &sg->tensors[i];
      if (t->flags & (TFM_TENSOR_CONSTANT | TFM_TENSOR_PERSISTENT)) continue;
      const int32_t bytes = tfm_tensor_bytes(t);
      if (bytes <= 0) continue;
      p.bufs[b].size = (uint32_t)tfm_align_up((size_t)bytes, ALIGN);
      p.bufs[b].first = p.bufs[b].last = p.bufs[b].offset = -1;
      if (g < num_offline && offline[g] >= 0) {
        if ((offline[g] % ALIGN) != 0) {
          return TFM_RT_FAIL(ctx, TFM_BAD_MODEL, "OfflineMemoryAllocation: offset %d of tensor "
                             "%d is not %d-byte aligned", (int)offline[g], (int)g, ALIGN);
        }
        p.bufs[b].offset = offline[g];
        p.bufs[b].size |= 1u;
      }
      t->data = (void *)(uintptr_t)(b + 1);
      ++b;
    }
  }
  for (int32_t i = 0; i < ctx->num_scratch; ++i, ++b) {
    p.bufs[b].size = (uint32_t)tfm_align_up(scratch_records[2 * i], ALIGN);
    p.bufs[b].first = p.bufs[b].last = p.bufs[b].offset = -1;
  }
  tfm_status st = lifetimes(&p);
  if (st != TFM_OK) {
    for (int s = 0; s < S; ++s) {  /* leave no buffer numbers behind */
      const tfm_subgraph *sg = &ctx->subgraphs[s];
      for (int32_t i = 0; i < sg->num_tensors; ++i) {
        if (has_buffer(&sg->tensors[i])) sg->tensors[i].data = NULL;
      }
    }
    return st;
  }
  /* TFLM's order last: it usually wins, and then needs no re-run. */
  size_t head1 = greedy(p.bufs, nb, placed, 1);
  size_t head = greedy(p.bufs, nb, placed, 0);
  if (head1 < head) head = greedy(p.bufs, nb, placed, 1);
  if (head == SIZE_MAX) {
    ctx->needed = SIZE_MAX;
    return TFM_RT_FAIL(ctx, TFM_ARENA_TOO_SMALL, "arena too small: the plan exceeds 2 GiB");
  }
  set_pointers(ctx, p.bufs, nt);

  size_t peak = ctx->temp_peak > head ? ctx->temp_peak : head;
  if (peak + ctx->tail > (size_t)(ctx->end - ctx->base)) {
    return tfm_arena_too_small(ctx, tfm_arena_required(ctx, peak));
  }
  ctx->head = head;
  ctx->temp_peak = peak;
  return TFM_OK;
}
