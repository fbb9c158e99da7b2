/* Shared helpers of the Signal kernels: options, tensor checks, square roots. */
#include "signal/signal_common.h"

tfm_status sig_opts_open(tfm_context *ctx, const tfm_node *node, sig_opts *o) {
  tfm_status st = tfm_flex_open(&o->fx, node->custom_options, node->custom_options_size,
                                &o->root);
  if (st == TFM_OK && o->root.type != TFM_FLEX_MAP) {
    o->fx.error = "root is not a map";
    st = TFM_BAD_MODEL;
  }
  if (st != TFM_OK) {
    return tfm_fail(ctx, st, "custom options: %s (byte %u of %u)", o->fx.error,
                    (unsigned)o->fx.error_at, (unsigned)node->custom_options_size);
  }
  return TFM_OK;
}

tfm_status sig_opt_int(tfm_context *ctx, sig_opts *o, const char *key, int32_t lo, int32_t hi,
                       int32_t *out) {
  int32_t v = 0;
  tfm_status st = tfm_flex_map_int32(&o->fx, &o->root, key, &v);
  if (st != TFM_OK) {
    return tfm_fail(ctx, TFM_BAD_MODEL, "custom option '%s': %s (byte %u of %u)", key,
                    o->fx.error, (unsigned)o->fx.error_at, (unsigned)o->fx.size);
  }
  if (v < lo || v > hi) {
    return tfm_fail(ctx, TFM_BAD_MODEL, "custom option '%s' = %ld out of range [%ld, %ld]", key,
                    (long)v, (long)lo, (long)hi);
  }
  *out = v;
  return TFM_OK;
}

tfm_status sig_opt_bool(tfm_context *ctx, sig_opts *o, const char *key, bool *out) {
  if (tfm_flex_map_bool(&o->fx, &o->root, key, out) != TFM_OK) {
    return tfm_fail(ctx, TFM_BAD_MODEL, "custom option '%s': %s (byte %u of %u)", key,
                    o->fx.error, (unsigned)o->fx.error_at, (unsigned)o->fx.size);
  }
  return TFM_OK;
}

static const char *type_name(int type) {
  return type == SIG_UINT64 ? "UINT64" : tfm_type_name((tfm_type)type);
}

static tfm_status check(tfm_context *ctx, tfm_tensor *t, const char *what, int i, int type,
                        int rank, tfm_tensor **out) {
  if (t == NULL) return tfm_fail(ctx, TFM_BAD_MODEL, "%s %d is missing", what, i);
  if (t->type != type) {
    return tfm_fail(ctx, TFM_UNSUPPORTED, "%s %d: type %s, expected %s", what, i,
                    type_name(t->type), type_name(type));
  }
  if (rank >= 0 && t->rank != rank) {
    return tfm_fail(ctx, TFM_UNSUPPORTED, "%s %d: rank %d, expected %d", what, i, (int)t->rank,
                    rank);
  }
  *out = t;
  return TFM_OK;
}

tfm_status sig_input(tfm_context *ctx, const tfm_node *node, int i, int type, int rank,
                     tfm_tensor **out) {
  return check(ctx, tfm_input(ctx, node, i), "input", i, type, rank, out);
}

tfm_status sig_output(tfm_context *ctx, const tfm_node *node, int i, int type, int rank,
                      tfm_tensor **out) {
  tfm_tensor *t = tfm_output(ctx, node, i);
  if (t != NULL && (t->flags & TFM_TENSOR_CONSTANT)) {
    return tfm_fail(ctx, TFM_BAD_MODEL, "output %d is a constant", i);
  }
  return check(ctx, t, "output", i, type, rank, out);
}

tfm_status sig_arity(tfm_context *ctx, const tfm_node *node, int n_in, int n_out) {
  if (node->num_inputs != n_in || node->num_outputs != n_out) {
    return tfm_fail(ctx, TFM_BAD_MODEL, "%d inputs and %d outputs, expected %d and %d",
                    (int)node->num_inputs, (int)node->num_outputs, n_in, n_out);
  }
  return TFM_OK;
}

/* floor(sqrt(a)): Newton's iteration from above (1 << ceil(msb / 2) >= sqrt(a))
 * stops at the floor; a few hardware divides instead of 16 bit-by-bit steps. */
static uint32_t isqrt32_floor(uint32_t a) {
  if (a == 0) return 0;
  uint32_t x = (uint32_t)1 << ((sig_msb32(a) + 1) / 2);
  for (;;) {
    const uint32_t y = (x + a / x) >> 1;
    if (y >= x) return x;
    x = y;
  }
}

/* TFLM's Sqrt32 (signal/src/square_root_32.cc) computes floor(sqrt) and its
 * remainder bit by bit, then rounds up when the remainder exceeds the root
 * (unless the root is 0xFFFF); any exact floor gives the same result. */
uint16_t sig_sqrt32(uint32_t num) {
  uint32_t r = isqrt32_floor(num);
  if (num - r * r > r && r != 0xFFFF) ++r;
  return (uint16_t)r;
}

/* As TFLM's Sqrt64: numbers below 2^32 take the 32-bit path (its rounding, not
 * the 64-bit one, is what the models were built against). Above, the floor
 * of sqrt(num >> 2k) gives the top bits, the low k bits are set greedily. */
uint32_t sig_sqrt64(uint64_t num) {
  if ((num >> 32) == 0) return sig_sqrt32((uint32_t)num);
  const int k = (sig_msb64(num) - 31) / 2;            /* num >> 2k < 2^32 */
  uint32_t r = isqrt32_floor((uint32_t)(num >> (2 * k))) << k;
  for (int b = k - 1; b >= 0; --b) {
    const uint32_t t = r | ((uint32_t)1 << b);
    if ((uint64_t)t * t <= num) r = t;
  }
  if (num - (uint64_t)r * r > r && r != 0xFFFFFFFFu) ++r;
  return r;
}
