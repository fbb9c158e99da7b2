/* Float32 dot products for cores without an FPU (kernel set "opt").
 *
 * A soft-float multiply-add costs ~70-150 instructions (libgcc's __mulsf3 +
 * __addsf3). Here a vector is put in block floating point instead: one
 * exponent (the largest of its values) and signed int32 mantissas aligned to
 * it, |m| <= 2^24, rounded to nearest. A dot product of two such vectors is
 * an exact int64 sum of products (|m_x * m_w| <= 2^48: exact for depths up to
 * OPT_BFP_MAX_DEPTH), turned into a float with one rounding (opt_bfp_float).
 *
 * Accuracy: the only errors are the alignments (each value off by at most
 * half a unit of 2^(emax - 150), i.e. 2^-25 of the vector's largest value)
 * and the final rounding; TFLite's reference sums in float, rounding after
 * every add. The two agree within a few float ulps of sum |x_j w_j| (tested
 * at 1e-5 relative, the engine's default tolerance). Non-finite inputs take
 * the caller's reference path. */
#ifndef TFM_KERNELS_OPT_FLOAT_H
#define TFM_KERNELS_OPT_FLOAT_H

#include <stdbool.h>
#include <stdint.h>

/* Only where float is emulated: a core with a single-precision FPU (Cortex-M4F/M7/M55,
 * RV32 with F) does a float multiply-add in a few instructions, and there the
 * reference float path is faster than block floating point (measured on mps2-an386:
 * 1.9x the reference's instructions on hello_world_float). The host keeps it, so the
 * host runner (and its sanitizer builds) test the arithmetic. */
#if (defined(__ARM_FP) && (__ARM_FP & 4)) || (defined(__riscv_flen) && __riscv_flen >= 32)
#define OPT_BFP_ENABLED 0
#else
#define OPT_BFP_ENABLED 1
#endif

/* Depths beyond this could overflow the int64 sum: the caller's reference path. */
#define OPT_BFP_MAX_DEPTH 32768

/* Largest biased exponent of v[0..n) (at least 1); false when a value is
 * infinite or NaN. */
bool opt_bfp_exponent(const float *v, int32_t n, int32_t *emax);

/* out[j] = v[j] * 2^(150 - emax) rounded to nearest (ties away from zero). */
void opt_bfp_convert(const float *v, int32_t n, int32_t emax, int32_t *out);

/* sum_j x[j] * w[j] (exact, int64). */
int64_t opt_bfp_dot(const int32_t *x, const int32_t *w, int32_t n);

/* acc * 2^(e - 300) as a float, rounded once (e = emax_x + emax_w). */
float opt_bfp_float(int64_t acc, int32_t e);

/* tfm_clamp_f32(v, lo, hi) for non-NaN values by integer compares (a soft-float
 * compare is a library call): the float order is the order of these keys, with
 * -0 and +0 equal as in float compares, so the result is the same value. */
static inline int32_t opt_float_key(float f) {
  union {
    float f;
    uint32_t u;
  } b;
  b.f = f;
  return (b.u >> 31) ? -(int32_t)(b.u & 0x7fffffffu) : (int32_t)b.u;
}

static inline float opt_clamp_f32(float v, int32_t lo_key, float lo, int32_t hi_key,
                                  float hi) {
  const int32_t k = opt_float_key(v);
  return k < lo_key ? lo : (k > hi_key ? hi : v);
}

#endif /* TFM_KERNELS_OPT_FLOAT_H */
