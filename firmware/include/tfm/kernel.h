/* The kernel API: what an operator implementation sees of the runtime.
 *
 * A kernel is a tfm_kernel (prepare + eval) returned by one registration
 * function per op (see kernels.h). The runtime calls prepare once per node
 * during tfm_interpreter_allocate(), then eval on every invoke.
 *
 * prepare: check types/shapes (fail with tfm_fail naming the problem),
 *   compute quantization parameters, allocate persistent op data with
 *   tfm_alloc_persistent() and store it in node->data, request scratch
 *   buffers with tfm_request_scratch().
 * eval: compute outputs. May only use node->data, tensors and scratch.
 *   Never allocates.
 *
 * Memory ownership: everything handed out lives in the caller's arena and
 * stays valid for the life of the interpreter. */
#ifndef TFM_KERNEL_H
#define TFM_KERNEL_H

#include "tfm/status.h"
#include "tfm/types.h"

typedef struct tfm_context tfm_context;
typedef struct tfm_node tfm_node;

typedef struct tfm_kernel {
  const char *name;         /* op name for messages, e.g. "CONV_2D" */
  int32_t max_version;      /* highest op version this kernel implements */
  tfm_status (*prepare)(tfm_context *ctx, tfm_node *node); /* may be NULL */
  tfm_status (*eval)(tfm_context *ctx, tfm_node *node);
} tfm_kernel;

/* One operator instance. Lives in the arena tail (40 bytes on 32-bit targets). */
struct tfm_node {
  const int32_t *inputs;    /* tensor indices into the node's subgraph; -1 = absent */
  const int32_t *outputs;
  const uint8_t *options;   /* builtin options table in the model, or NULL */
  const uint8_t *custom_options; /* custom options bytes, or NULL */
  const tfm_kernel *kernel;
  void *data;               /* kernel-owned persistent data (set in prepare) */
  uint32_t custom_options_size;
  uint16_t num_inputs;
  uint16_t num_outputs;
  uint16_t index;           /* operator index within its subgraph */
  uint16_t builtin_code;    /* schema BuiltinOperator (32 = CUSTOM) */
  uint8_t subgraph;         /* index of the subgraph this node belongs to */
  uint8_t version;          /* operator version (the loader refuses > 255) */
};

/* ---- tensors -------------------------------------------------------- */

/* Input/output i of the node; NULL when i is out of range or the input is
 * optional and absent (index -1). */
tfm_tensor *tfm_input(tfm_context *ctx, const tfm_node *node, int i);
tfm_tensor *tfm_output(tfm_context *ctx, const tfm_node *node, int i);
/* Tensor by index within subgraph `subgraph`; NULL when out of range. */
tfm_tensor *tfm_tensor_at(tfm_context *ctx, int subgraph, int32_t index);

/* Full quantization of a tensor (per-channel scales etc.) from the model. */
tfm_status tfm_tensor_quant(tfm_context *ctx, const tfm_tensor *t, tfm_quant *out);

/* Intermediate tensor i of the node (the schema's Operator.intermediates, where
 * TFLite's integer LSTM keeps its gate and hidden scales); *out = NULL when the
 * operator has fewer. Tensors only described there have no data. */
tfm_status tfm_node_intermediate(tfm_context *ctx, const tfm_node *node, int i,
                                 tfm_tensor **out);

/* ---- builtin options -------------------------------------------------
 * `voffset` is the field's vtable offset in the schema (4, 6, 8, ...: the
 * number passed to Offset() in the tflite Python package's generated code).
 * Absent tables or fields give `dflt`. */
int32_t tfm_opt_i8(const tfm_node *node, int voffset, int32_t dflt);
int32_t tfm_opt_i16(const tfm_node *node, int voffset, int32_t dflt);
int32_t tfm_opt_i32(const tfm_node *node, int voffset, int32_t dflt);
float tfm_opt_f32(const tfm_node *node, int voffset, float dflt);
bool tfm_opt_bool(const tfm_node *node, int voffset, bool dflt);
/* A [int] vector field; *len = 0 and *values = NULL when absent. */
tfm_status tfm_opt_i32_vector(tfm_context *ctx, const tfm_node *node, int voffset,
                              const int32_t **values, int32_t *len);

/* ---- memory ----------------------------------------------------------- */

/* Persistent allocation from the arena tail, 8-byte aligned, zeroed.
 * Only during prepare. */
tfm_status tfm_alloc_persistent(tfm_context *ctx, size_t bytes, void **out);
/* Ask for a scratch buffer that lives only during this node's eval; planned
 * by the memory planner. Only during prepare. */
tfm_status tfm_request_scratch(tfm_context *ctx, size_t bytes, int *index);
/* The scratch buffer from tfm_request_scratch (16-byte aligned). Only in eval. */
void *tfm_scratch(tfm_context *ctx, int index);

/* ---- errors --------------------------------------------------------------
 * Record a one-line error (printf subset: %d %u %ld %lu %x %s %c %f %%) and
 * return `status`. The runtime prefixes the op name and operator index. */
tfm_status tfm_fail(tfm_context *ctx, tfm_status status, const char *fmt, ...);

/* Check a condition in a kernel; on failure record "file:line: cond" and
 * return TFM_ERROR (or the given status with TFM_ENSURE_STATUS). */
#define TFM_ENSURE(ctx, cond)                                               \
  do {                                                                      \
    if (!(cond)) {                                                          \
      return tfm_fail((ctx), TFM_ERROR, "%s:%d: %s", __FILE__, __LINE__,    \
                      #cond);                                               \
    }                                                                       \
  } while (0)
#define TFM_ENSURE_STATUS(ctx, cond, status)                                \
  do {                                                                      \
    if (!(cond)) {                                                          \
      return tfm_fail((ctx), (status), "%s:%d: %s", __FILE__, __LINE__,     \
                      #cond);                                               \
    }                                                                       \
  } while (0)
/* Propagate a non-OK status. */
#define TFM_TRY(expr)                                                       \
  do {                                                                      \
    tfm_status tfm_try_status_ = (expr);                                    \
    if (tfm_try_status_ != TFM_OK) return tfm_try_status_;                  \
  } while (0)

/* ---- offline preparation (docs/firmware.md, "Offline preparation") ------
 * At build time the engine may precompute, per operator, what a kernel set's
 * prepare would (folded biases, multipliers and shifts, reordered weights)
 * and link it into flash beside the model as a tfm_offline_table. The model
 * bytes stay as they are. The table names the model by its size and hash:
 * the first lookup of an interpreter checks them against the model it runs
 * and a mismatch fails prepare with an error naming both (no stale data). */
#define TFM_OFFLINE_MAGIC 0x504d4654u /* "TFMP" */
#define TFM_OFFLINE_VERSION 1u

typedef struct tfm_offline_entry {
  uint16_t subgraph;  /* operator's subgraph */
  uint16_t op;        /* operator index within it */
  uint32_t kind;      /* TFM_OFFLINE_KIND_* (the record's layout) */
  uint32_t size;      /* bytes at data */
  const void *data;   /* aligned for its fields (4 bytes), read-only */
} tfm_offline_entry;

typedef struct tfm_offline_table {
  uint32_t magic;      /* TFM_OFFLINE_MAGIC */
  uint32_t version;    /* TFM_OFFLINE_VERSION */
  uint32_t model_size; /* bytes of the model it was made from */
  uint32_t model_hash; /* tfm_offline_hash of those bytes */
  uint32_t count;
  const tfm_offline_entry *entries; /* sorted by (subgraph, op, kind) */
} tfm_offline_table;

/* The image's table, defined by the generated source (weak: NULL without). */
extern const tfm_offline_table tfm_offline_prep;

/* FNV-1a over the model's little-endian 32-bit words (a last partial word
 * zero-padded), seeded with the byte size: every word of a model up to
 * 18 KiB, else the first and last KiB and 2,048 evenly spaced words (init
 * stays cheap on big models); tfm_ci/offline_prep.py computes the same. */
uint32_t tfm_offline_hash(const uint8_t *bytes, uint32_t size);

/* The record of `kind` for `node` (NULL: the node being prepared), or NULL
 * (no table, no record; kernels then compute as without one). *size gets its
 * byte size. Shared prepares (kernels/common) look records up only when built
 * with -DTFM_OFFLINE_PREP=1 (the engine sets it for images with a table).
 * Only during prepare. Fails (TFM_BAD_MODEL, error set) when the table was
 * made for another model. */
tfm_status tfm_offline_data(tfm_context *ctx, const tfm_node *node, uint32_t kind,
                            const void **data, uint32_t *size);

/* Record kinds. Every field int32 unless named otherwise.
 * FC_S8: FULLY_CONNECTED int8, symmetric weights: units, channels, then
 *   base[units] = bias[u] + input_offset * sum_j w[u][j] (mod 2^32),
 *   multiplier[channels], shift[channels] (TFLite QuantizeMultiplier of the
 *   node's effective scale: per-tensor float product, per-channel double).
 * CONV_S8: CONV_2D / DEPTHWISE_CONV_2D with int8 filters (int8 and 16x8):
 *   channels (output channels), multiplier[channels], then the shifts as
 *   int8 bytes (channels of them, zero-padded to a multiple of 4), as
 *   tfm_conv_quant_params computes them (double product; per-tensor filters
 *   repeated per channel).
 * W4_S8: int8 weights [units][depth] reordered for 4-unit tiles (bytes, not
 *   int32): for each group g < units / 4, for each j < depth, the 4 bytes
 *   w[4g][j], w[4g+1][j], w[4g+2][j], w[4g+3][j]; then the last units % 4 rows
 *   as they are. A copy: the model keeps its weights. */
#define TFM_OFFLINE_KIND_FC_S8 1u
#define TFM_OFFLINE_KIND_CONV_S8 2u
#define TFM_OFFLINE_KIND_W4_S8 3u
/* F32_BFP: float32 weights in block floating point (kernels/opt/opt_float.h),
 *   FULLY_CONNECTED [units][depth], CONV_2D [out_d][fh * fw * in_d] or
 *   DEPTHWISE_CONV_2D [out_d][fh * fw] (the filter transposed): rows,
 *   depth, then per row its largest biased exponent e and depth mantissas
 *   w * 2^(150 - e) rounded to nearest. */
#define TFM_OFFLINE_KIND_F32_BFP 4u

/* ---- subgraphs (control flow and resource variables) -------------------- */

int tfm_subgraph_count(tfm_context *ctx);
int tfm_subgraph_num_inputs(tfm_context *ctx, int subgraph);
int tfm_subgraph_num_outputs(tfm_context *ctx, int subgraph);
tfm_tensor *tfm_subgraph_input(tfm_context *ctx, int subgraph, int i);
tfm_tensor *tfm_subgraph_output(tfm_context *ctx, int subgraph, int i);
/* Run every node of `subgraph` once (used by IF, WHILE, CALL_ONCE). */
tfm_status tfm_invoke_subgraph(tfm_context *ctx, int subgraph);

#endif /* TFM_KERNEL_H */
