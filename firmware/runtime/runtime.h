/* Declarations shared by the runtime's own files (not part of the API). */
#ifndef TFM_RUNTIME_RUNTIME_H
#define TFM_RUNTIME_RUNTIME_H

#include "tfm/interpreter.h"

/* Record an error without the op prefix (runtime-level messages). Use
 * TFM_RT_FAIL: with -DTFM_NO_MESSAGES the format strings are compiled out
 * (statuses stay; messages become empty) for size-critical builds. */
tfm_status tfm_rt_fail(tfm_context *ctx, tfm_status status, const char *fmt, ...);
#ifdef TFM_NO_MESSAGES
#define TFM_RT_FAIL(ctx, status, ...) tfm_rt_fail((ctx), (status), "")
#else
#define TFM_RT_FAIL(ctx, status, ...) tfm_rt_fail((ctx), (status), __VA_ARGS__)
#endif
/* As tfm_fail, with a va_list. */
tfm_status tfm_rt_vfail(tfm_context *ctx, tfm_status status, bool prefix, const char *fmt,
                        va_list ap);

/* ---- arena (arena.c) ----
 * [base .. base+head) planned activations and scratch; during allocate the
 * same region first holds temporaries ([base .. base+temp)).
 * [end-tail .. end) persistent allocations. */
void tfm_arena_setup(tfm_context *ctx, uint8_t *arena, size_t size);
/* Persistent, zeroed, 8-byte aligned. */
tfm_status tfm_arena_persistent(tfm_context *ctx, size_t bytes, void **out);
/* Temporary head allocation, size rounded up to `align` (8 or 16: the head
 * start is 16-byte aligned); released by tfm_arena_temp_reset. */
tfm_status tfm_arena_temp(tfm_context *ctx, size_t bytes, size_t align, void **out);
void tfm_arena_temp_reset(tfm_context *ctx);
/* Bytes the arena must hold for the current tail and a head of `head` bytes. */
size_t tfm_arena_required(const tfm_context *ctx, size_t head);
/* Fail with TFM_ARENA_TOO_SMALL for a requirement of `needed` bytes. */
tfm_status tfm_arena_too_small(tfm_context *ctx, size_t needed);

static inline size_t tfm_align_up(size_t n, size_t a) { return (n + a - 1) & ~(a - 1); }

/* ---- model (model.c) ---- */
/* Check the whole flatbuffer and build subgraphs, tensors and nodes. */
tfm_status tfm_model_load(tfm_context *ctx);
/* Builtin code, version and custom name of operator code `index`. */
tfm_status tfm_model_opcode(tfm_context *ctx, uint32_t index, int32_t *code, int32_t *version,
                            const char **custom_name);
/* Offline planned offsets (metadata "OfflineMemoryAllocation"), or NULL. */
tfm_status tfm_model_offline_offsets(tfm_context *ctx, const int32_t **offsets, int32_t *count);
/* Custom code of the operator behind `node`, NULL for builtin ops. */
tfm_status tfm_model_custom_name(tfm_context *ctx, const tfm_node *node, const char **name);
/* Subgraphs called by a node (IF/WHILE/CALL_ONCE); returns how many (<= 2). */
int tfm_node_callees(const tfm_node *node, int32_t callees[2]);

/* Element size of a schema TensorType, including those beyond tfm_type
 * (COMPLEX64/128, UINT64, BFLOAT16); 0 for STRING and unknown types. */
size_t tfm_schema_type_size(uint32_t type);

/* ---- planner (planner.c) ---- */
/* Place activation tensors and scratch buffers; sets data pointers.
 * `scratch_records` holds num_scratch {size, subgraph << 16 | op} pairs. */
tfm_status tfm_plan(tfm_context *ctx, const uint32_t *scratch_records);

/* Name of a node's op for messages. */
const char *tfm_node_name(const tfm_node *node);

/* Global marker sink (profiler.c). */
extern volatile uint32_t tfm_marker_sink;

#endif /* TFM_RUNTIME_RUNTIME_H */
