/* Shared helpers of the TFLM Signal-library kernels (kernels/signal/).
 *
 * Options are FlexBuffer maps (custom_options); they are read by key with the
 * bounds-checked reader of tfm/flexbuffer.h, and every value is range-checked,
 * so hostile options fail in prepare with a message naming key and byte.
 *
 * State (noise estimates, delay lines) lives in persistent arena memory and
 * persists across invocations; tfm_interpreter_reset bumps the reset
 * generation, and a stateful kernel clears its state on the first eval that
 * sees a new generation (sig_state_fresh). */
#ifndef TFM_KERNELS_SIGNAL_COMMON_H
#define TFM_KERNELS_SIGNAL_COMMON_H

#include "tfm/flexbuffer.h"
#include "tfm/interpreter.h"
#include "tfm/kernel.h"

/* Schema UINT64 (not a tfm_type: no builtin kernel takes it). */
#define SIG_UINT64 12

#define TFM_SIGNAL_OP(NAME, SUFFIX) const tfm_kernel *tfm_register_signal_##SUFFIX(void);
#include "signal/signal_ops.h"
#undef TFM_SIGNAL_OP

typedef struct sig_opts {
  tfm_flex fx;
  tfm_flex_ref root;
} sig_opts;

/* Open the node's options (a FlexBuffer map). */
tfm_status sig_opts_open(tfm_context *ctx, const tfm_node *node, sig_opts *o);
/* map[key] as an int in [lo, hi]. */
tfm_status sig_opt_int(tfm_context *ctx, sig_opts *o, const char *key, int32_t lo, int32_t hi,
                       int32_t *out);
tfm_status sig_opt_bool(tfm_context *ctx, sig_opts *o, const char *key, bool *out);

/* Input/output i with the given schema type and rank (rank < 0: any rank). */
tfm_status sig_input(tfm_context *ctx, const tfm_node *node, int i, int type, int rank,
                     tfm_tensor **out);
tfm_status sig_output(tfm_context *ctx, const tfm_node *node, int i, int type, int rank,
                      tfm_tensor **out);
/* Exactly n_in inputs and n_out outputs. */
tfm_status sig_arity(tfm_context *ctx, const tfm_node *node, int n_in, int n_out);

/* True (once) when the interpreter was reset since *generation was stored:
 * the caller clears its state. Allocation zeroes state, generation 0 matches. */
static inline bool sig_state_fresh(tfm_context *ctx, uint32_t *generation) {
  uint32_t g = tfm_generation(ctx);
  if (g == *generation) return false;
  *generation = g;
  return true;
}

/* Position of the highest set bit, 1-based (TFLM's MostSignificantBit32;
 * 32 for x == 0, as its __builtin_clz branch gives on GCC and clang). */
static inline int sig_msb32(uint32_t x) {
  return x ? 32 - __builtin_clz(x) : 32;
}
static inline int sig_msb64(uint64_t x) {
  return x ? 64 - __builtin_clzll(x) : 64;
}

/* Saturate to int16 (one SSAT on Arm cores that have it). */
#if defined(__ARM_FEATURE_SAT)
#include <arm_acle.h>
static inline int16_t sig_sat16(int32_t v) { return (int16_t)__ssat(v, 16); }
#else
static inline int16_t sig_sat16(int32_t v) {
  return (int16_t)(v < INT16_MIN ? INT16_MIN : v > INT16_MAX ? INT16_MAX : v);
}
#endif

/* Integer square roots with TFLM's rounding (signal/src/square_root_*.cc). */
uint16_t sig_sqrt32(uint32_t num);
uint32_t sig_sqrt64(uint64_t num);

#endif /* TFM_KERNELS_SIGNAL_COMMON_H */
