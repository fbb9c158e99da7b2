/* The interpreter: init -> allocate -> invoke (-> reset).
 *
 * The caller owns the model buffer (must stay valid, 4-byte aligned, may live
 * in flash: it is read in place, never written), the resolver and the arena.
 * Nothing is allocated anywhere else.
 *
 * The struct's fields below the public API comment are the runtime's; read
 * them only through the functions. */
#ifndef TFM_INTERPRETER_H
#define TFM_INTERPRETER_H

#include "tfm/kernel.h"
#include "tfm/profiler.h"
#include "tfm/resolver.h"

#define TFM_ERROR_MESSAGE_SIZE 160

typedef struct tfm_arena_usage {
  size_t head;     /* planned activations + scratch (bytes from the arena start) */
  size_t tail;     /* persistent allocations (bytes from the arena end) */
  size_t total;    /* head + tail + alignment loss: what the arena must hold */
  size_t size;     /* the arena the caller gave */
  size_t needed;   /* when allocate failed with TFM_ARENA_TOO_SMALL: bytes required */
} tfm_arena_usage;

#include "tfm/interpreter_internal.h"

/* Read and check the model (identifier, version, every offset). */
tfm_status tfm_interpreter_init(tfm_interpreter *it, const void *model, size_t model_size,
                                const tfm_resolver *resolver, uint8_t *arena,
                                size_t arena_size);
/* Resolve kernels, prepare every node, plan memory. */
tfm_status tfm_interpreter_allocate(tfm_interpreter *it);
/* Run subgraph 0 once. */
tfm_status tfm_interpreter_invoke(tfm_interpreter *it);
/* Zero variable tensors and resource variables, re-arm CALL_ONCE. */
tfm_status tfm_interpreter_reset(tfm_interpreter *it);

int tfm_interpreter_num_inputs(const tfm_interpreter *it);
int tfm_interpreter_num_outputs(const tfm_interpreter *it);
tfm_tensor *tfm_interpreter_input(tfm_interpreter *it, int i);
tfm_tensor *tfm_interpreter_output(tfm_interpreter *it, int i);

void tfm_interpreter_arena_usage(const tfm_interpreter *it, tfm_arena_usage *out);
/* Last error message ("" if none). */
const char *tfm_interpreter_error(const tfm_interpreter *it);
/* Observe per-operator cost (optional). */
void tfm_interpreter_set_observer(tfm_interpreter *it, tfm_op_observer fn, void *user);

/* Number of operators in subgraph 0 and the op name of operator i. */
int tfm_interpreter_num_ops(const tfm_interpreter *it);

#endif /* TFM_INTERPRETER_H */
