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

/* Bit-by-bit square root, rounded up when the remainder exceeds the root. */
uint16_t sig_sqrt32(uint32_t num) {
  if (num == 0) return 0;
  uint32_t res = 0;
  int max_bit = (32 - sig_msb32(num)) | 1;
  uint32_t bit = (uint32_t)1 << (31 - max_bit);
  for (int it = (31 - max_bit) / 2 + 1; it > 0; --it) {
    if (num >= res + bit) {
      num -= res + bit;
      res = (res >> 1) + bit;
    } else {
      res >>= 1;
    }
    bit >>= 2;
  }
  if (num > res && res != 0xFFFF) ++res;
  return (uint16_t)res;
}

/* As TFLM: numbers below 2^32 take the 32-bit path (its result, not the exact
 * 64-bit one, is what the models were built against). */
uint32_t sig_sqrt64(uint64_t num) {
  if ((num >> 32) == 0) return sig_sqrt32((uint32_t)num);
  uint64_t res = 0;
  int max_bit = (64 - sig_msb64(num)) | 1;
  uint64_t bit = (uint64_t)1 << (63 - max_bit);
  for (int it = (63 - max_bit) / 2 + 1; it > 0; --it) {
    if (num >= res + bit) {
      num -= res + bit;
      res = (res >> 1) + bit;
    } else {
      res >>= 1;
    }
    bit >>= 2;
  }
  if (num > res && res != 0xFFFFFFFFu) ++res;
  return (uint32_t)res;
}
