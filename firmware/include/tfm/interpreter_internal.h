/* Runtime-private state of the interpreter (included by interpreter.h so the
 * caller can allocate a tfm_interpreter statically). Read it only through the
 * functions of interpreter.h / kernel.h; the declarations at the end are for
 * the runtime's own kernels (control flow, resource variables) and the app. */
#ifndef TFM_INTERPRETER_INTERNAL_H
#define TFM_INTERPRETER_INTERNAL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "tfm/kernel.h"
#include "tfm/profiler.h"
#include "tfm/resolver.h"

/* One subgraph: its tensors and nodes live in the arena tail; the input and
 * output index vectors point into the model. */
typedef struct tfm_subgraph {
  tfm_tensor *tensors;
  tfm_node *nodes;
  const int32_t *inputs;
  const int32_t *outputs;
  uint16_t num_tensors;
  uint16_t num_nodes;
  uint8_t num_inputs;
  uint8_t num_outputs;
} tfm_subgraph;

/* A resource variable (VAR_HANDLE container + shared_name). Arena tail. */
typedef struct tfm_resource {
  struct tfm_resource *next;
  const char *container;    /* model strings, may be NULL */
  const char *shared_name;
  void *data;               /* NULL until a READ/ASSIGN_VARIABLE is prepared */
  int32_t bytes;
  int16_t id;
  uint8_t assigned;         /* set by the first ASSIGN_VARIABLE eval */
  uint8_t reserved;
} tfm_resource;

enum { TFM_STATE_EMPTY = 0, TFM_STATE_INIT = 1, TFM_STATE_ALLOCATING = 2,
       TFM_STATE_READY = 3, TFM_STATE_FAILED = 4 };

struct tfm_context {
  const uint8_t *model;
  uint32_t model_size;
  uint32_t opcodes_pos;     /* operator_codes vector: first element position */
  uint32_t num_opcodes;
  uint32_t buffers_pos;     /* buffers vector */
  uint32_t num_buffers;
  uint32_t subgraphs_pos;   /* subgraphs vector (count: num_subgraphs) */
  const tfm_resolver *resolver;
  uint8_t *base;            /* arena start aligned to 16 */
  uint8_t *end;             /* arena end aligned down to 8 */
  uint8_t *arena;
  size_t arena_size;
  size_t head;              /* planned head bytes */
  size_t temp;              /* temporary head bytes (during allocate) */
  size_t temp_peak;
  size_t tail;              /* persistent bytes from `end` */
  size_t needed;            /* exact requirement when TFM_ARENA_TOO_SMALL */
  tfm_subgraph *subgraphs;
  tfm_node *current;        /* node being prepared / evaluated (error prefix) */
  void **scratch;           /* scratch buffer pointers, by index */
  tfm_resource *resources;
  tfm_op_observer observer;
  void *observer_user;
  uint32_t generation;      /* bumped by reset: re-arms CALL_ONCE */
  int32_t num_scratch;
  int32_t num_resources;
  uint16_t num_subgraphs;
  uint8_t state;
  uint8_t depth;            /* nested subgraph invocations */
  uint8_t offline;          /* offline prep table: 0 unchecked, 1 none, 2 valid, 3 refused */
  char error[TFM_ERROR_MESSAGE_SIZE];
};

typedef struct tfm_interpreter {
  struct tfm_context ctx;
} tfm_interpreter;

/* ---- for the runtime's own kernels and the app ------------------------- */

/* printf subset (%d %i %u %ld %lu %x %lx %s %c %f %%, width/'0' flag for
 * d/u/x) into buf (always NUL-terminated). Returns the length written. */
int tfm_vformat(char *buf, size_t size, const char *fmt, va_list ap);
int tfm_format(char *buf, size_t size, const char *fmt, ...);

/* The resource with this container/shared_name, created on first use. */
tfm_status tfm_resource_get(tfm_context *ctx, const char *container, const char *shared_name,
                            tfm_resource **out);
/* Resource by id, NULL if none. */
tfm_resource *tfm_resource_by_id(tfm_context *ctx, int32_t id);
/* Give resource `r` a zeroed persistent buffer of `bytes` (prepare only);
 * fails if it already has one of another size. */
tfm_status tfm_resource_allocate(tfm_context *ctx, tfm_resource *r, int32_t bytes);

/* A string field of the node's builtin options (NULL when absent). */
tfm_status tfm_opt_string(tfm_context *ctx, const tfm_node *node, int voffset, const char **out);
/* Copy src's bytes into dst (same byte size, checked). */
tfm_status tfm_copy_tensor(tfm_context *ctx, tfm_tensor *dst, const tfm_tensor *src);
/* Check that dst can receive src (same type and byte size); `what` names the pair. */
tfm_status tfm_check_copy(tfm_context *ctx, const tfm_tensor *dst, const tfm_tensor *src,
                          const char *what, int index);

/* Reset generation (bumped by tfm_interpreter_reset). */
uint32_t tfm_generation(const tfm_context *ctx);

/* Builtin op name ("CONV_2D") or NULL when unknown. */
const char *tfm_builtin_name(int32_t code);

#endif /* TFM_INTERPRETER_INTERNAL_H */
