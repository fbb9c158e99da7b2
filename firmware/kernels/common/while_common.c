/* WHILE shared pieces: prepare and the reference eval (see
 * common/while.h). */
#include "common/while.h"

#include "tfm/interpreter.h"

/* A model whose loop never ends must fail, not hang the board: after this many
 * body runs eval stops with TFM_ERROR naming the op. 0 = unbounded. */
#ifndef TFM_WHILE_MAX_ITERATIONS
#define TFM_WHILE_MAX_ITERATIONS 100000
#endif

tfm_status tfm_while_prepare(tfm_context *ctx, tfm_node *node) {
  int32_t cond = tfm_opt_i32(node, 4, 0), body = tfm_opt_i32(node, 6, 0);
  int n = node->num_inputs;
  int count = tfm_subgraph_count(ctx);
  if (cond <= 0 || cond >= count || body <= 0 || body >= count || cond == node->subgraph ||
      body == node->subgraph) {
    return tfm_fail(ctx, TFM_BAD_MODEL, "cond/body subgraphs %d/%d out of range", (int)cond,
                    (int)body);
  }
  if (node->num_outputs != n || tfm_subgraph_num_inputs(ctx, cond) != n ||
      tfm_subgraph_num_outputs(ctx, cond) != 1 || tfm_subgraph_num_inputs(ctx, body) != n ||
      tfm_subgraph_num_outputs(ctx, body) != n) {
    return tfm_fail(ctx, TFM_BAD_MODEL, "loop variable counts differ between the op (%d), "
                    "cond and body subgraphs", n);
  }
  const tfm_tensor *c = tfm_subgraph_output(ctx, cond, 0);
  if (c->type != TFM_BOOL || tfm_tensor_elements(c) != 1) {
    return tfm_fail(ctx, TFM_UNSUPPORTED, "cond subgraph must output a single BOOL");
  }
  for (int i = 0; i < n; ++i) {
    const tfm_tensor *in = tfm_input(ctx, node, i);
    TFM_TRY(tfm_check_copy(ctx, tfm_subgraph_input(ctx, cond, i), in, "input", i));
    TFM_TRY(tfm_check_copy(ctx, tfm_subgraph_input(ctx, body, i), in, "input", i));
    TFM_TRY(tfm_check_copy(ctx, tfm_subgraph_input(ctx, cond, i),
                           tfm_subgraph_output(ctx, body, i), "body output", i));
    TFM_TRY(tfm_check_copy(ctx, tfm_output(ctx, node, i), in, "output", i));
  }
  return TFM_OK;
}

tfm_status tfm_while_eval_reference(tfm_context *ctx, tfm_node *node) {
  int32_t cond = tfm_opt_i32(node, 4, 0), body = tfm_opt_i32(node, 6, 0);
  int n = node->num_inputs;
  for (int i = 0; i < n; ++i) {
    TFM_TRY(tfm_copy_tensor(ctx, tfm_subgraph_input(ctx, cond, i), tfm_input(ctx, node, i)));
  }
  for (uint32_t iterations = 0;; ++iterations) {
    TFM_TRY(tfm_invoke_subgraph(ctx, cond));
    if (!((const uint8_t *)tfm_subgraph_output(ctx, cond, 0)->data)[0]) break;
    if (TFM_WHILE_MAX_ITERATIONS > 0 && iterations == (uint32_t)TFM_WHILE_MAX_ITERATIONS) {
      return tfm_fail(ctx, TFM_ERROR, "loop still running after %lu iterations "
                      "(TFM_WHILE_MAX_ITERATIONS)", (unsigned long)TFM_WHILE_MAX_ITERATIONS);
    }
    for (int i = 0; i < n; ++i) {
      TFM_TRY(tfm_copy_tensor(ctx, tfm_subgraph_input(ctx, body, i),
                              tfm_subgraph_input(ctx, cond, i)));
    }
    TFM_TRY(tfm_invoke_subgraph(ctx, body));
    for (int i = 0; i < n; ++i) {
      TFM_TRY(tfm_copy_tensor(ctx, tfm_subgraph_input(ctx, cond, i),
                              tfm_subgraph_output(ctx, body, i)));
    }
  }
  for (int i = 0; i < n; ++i) {
    TFM_TRY(tfm_copy_tensor(ctx, tfm_output(ctx, node, i), tfm_subgraph_input(ctx, cond, i)));
  }
  return TFM_OK;
}
