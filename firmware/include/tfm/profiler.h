/* Profiler hooks around init, invoke and every operator.
 *
 * The marker functions are empty, never inlined and each distinct, so a
 * simulator plugin can count instructions between their addresses (see
 * docs/protocol.md). The interpreter calls them in this order:
 *   init_begin, init_end, then per invoke: invoke_begin,
 *   { op_begin, op_end } per executed operator, invoke_end. */
#ifndef TFM_PROFILER_H
#define TFM_PROFILER_H

#include <stdint.h>

void tfm_marker_init_begin(void);
void tfm_marker_init_end(void);
void tfm_marker_invoke_begin(void);
void tfm_marker_invoke_end(void);
void tfm_marker_op_begin(void);
void tfm_marker_op_end(void);

/* Optional callback after each operator: subgraph, operator index, op name,
 * cost from tfm_port_cost() for that operator. */
typedef void (*tfm_op_observer)(void *user, int subgraph, int op_index, const char *op_name,
                                uint64_t cost);

#endif /* TFM_PROFILER_H */
