/* Float functions without libm, for float kernels on freestanding targets.
 *
 * floor, ceil, trunc, sqrt and fmod are exact (correctly rounded), as C's
 * floorf/ceilf/sqrtf/fmodf; they work on the IEEE-754 bits and integers only,
 * so results do not depend on the target's FPU or libgcc. NaN in gives NaN;
 * signs of zero and infinities follow C99 Annex F. */
#ifndef TFM_KERNELS_FMATH_H
#define TFM_KERNELS_FMATH_H

#include <stdint.h>

/* IEEE-754 bits of a float and back (union punning is defined in C99). */
static inline uint32_t tfm_f32_bits(float x) {
  union { float f; uint32_t u; } v;
  v.f = x;
  return v.u;
}
static inline float tfm_f32_from_bits(uint32_t u) {
  union { float f; uint32_t u; } v;
  v.u = u;
  return v.f;
}

float tfm_floorf(float x);
double tfm_floor(double x);
float tfm_ceilf(float x);
float tfm_truncf(float x);
float tfm_sqrtf(float x);
/* x - n*y with n = trunc(x/y), computed exactly (sign of x). */
float tfm_fmodf(float x, float y);

/* Transcendental functions, evaluated in double and rounded once to float:
 * within 1 ulp of the exact value (nearly always the correctly rounded
 * float, like glibc's). sin and cos reduce any finite float exactly
 * (Payne-Hanek with 2/pi to 320 bits), so sin(1e38f) is right too. */
double tfm_log(double x);      /* natural log; x < 0 -> NaN, 0 -> -inf */
double tfm_expm1(double x);    /* exp(x) - 1, accurate near 0 */
double tfm_erfc(double x);     /* 1 - erf(x), accurate for large x too */
float tfm_logf(float x);
float tfm_sinf(float x);
float tfm_cosf(float x);

#endif /* TFM_KERNELS_FMATH_H */
