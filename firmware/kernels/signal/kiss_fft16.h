/* KISS FFT's fixed-point (FIXED_POINT=16) complex FFT, our implementation, shared
 * by SignalRfft and SignalIrfft: same arithmetic and operation order as KISS
 * (kf_work, kf_bfly4/2, C_FIXDIV, C_MUL) so results are bit-exact with TFLM,
 * for power-of-two lengths. */
#ifndef TFM_KERNELS_SIGNAL_KISS_FFT16_H
#define TFM_KERNELS_SIGNAL_KISS_FFT16_H

#include "signal/signal_common.h"

typedef struct cpx {
  int16_t r, i;
} cpx;

/* ---- fixed-point complex arithmetic (KISS FFT FIXED_POINT=16) ---------
 * cx is one complex int16 value; every operation wraps to int16 per part as
 * KISS's int16 stores do. On Arm cores with the DSP extension cx is the
 * packed 32-bit word (real in the low half, as in memory) and each operation
 * is one or two SIMD instructions; elsewhere it is the struct. Both give the
 * same bits (the products and sums stay below 2^31, see cx_mul). */
#if defined(__ARM_FEATURE_DSP)
#include <arm_acle.h>
typedef uint32_t cx;
static inline cx cx_load(const cpx *p) { uint32_t v; __builtin_memcpy(&v, p, sizeof v); return v; }
static inline void cx_store(cpx *p, cx v) { __builtin_memcpy(p, &v, sizeof v); }
static inline cx cx_make(int32_t r, int32_t i) { return (uint16_t)r | ((uint32_t)i << 16); }
static inline int32_t cx_re(cx a) { return (int16_t)(a & 0xFFFFu); }
static inline int32_t cx_im(cx a) { return (int16_t)(a >> 16); }
/* (a * b) rounded to Q15; |b| <= 32767 (twiddles) keeps the sums below 2^31 */
static inline cx cx_mul(cx a, cx b) {
  return cx_make(__smlsd((int16x2_t)a, (int16x2_t)b, 1 << 14) >> 15,
                 __smladx((int16x2_t)a, (int16x2_t)b, 1 << 14) >> 15);
}
/* C_FIXDIV: each part times 32767/radix, rounded to Q15 */
static inline cx cx_div(cx c, int32_t k) {
  return cx_make(__smlabb((int32_t)c, k, 1 << 14) >> 15, __smlatb((int32_t)c, k, 1 << 14) >> 15);
}
static inline cx cx_add(cx a, cx b) { return (cx)__sadd16((int16x2_t)a, (int16x2_t)b); }
static inline cx cx_sub(cx a, cx b) { return (cx)__ssub16((int16x2_t)a, (int16x2_t)b); }
/* (a.r + b.i, a.i - b.r) and (a.r - b.i, a.i + b.r) */
static inline cx cx_add_jconj(cx a, cx b) { return (cx)__ssax((int16x2_t)a, (int16x2_t)b); }
static inline cx cx_sub_jconj(cx a, cx b) { return (cx)__sasx((int16x2_t)a, (int16x2_t)b); }
#else
typedef cpx cx;
static inline cx cx_load(const cpx *p) { return *p; }
static inline void cx_store(cpx *p, cx v) { *p = v; }
static inline cx cx_make(int32_t r, int32_t i) {
  cx c = {(int16_t)r, (int16_t)i};
  return c;
}
static inline int32_t cx_re(cx a) { return a.r; }
static inline int32_t cx_im(cx a) { return a.i; }
static inline int16_t q15_round(int32_t x) { return (int16_t)((x + (1 << 14)) >> 15); }
static inline cx cx_mul(cx a, cx b) {
  return cx_make(q15_round((int32_t)a.r * b.r - (int32_t)a.i * b.i),
                 q15_round((int32_t)a.r * b.i + (int32_t)a.i * b.r));
}
static inline cx cx_div(cx c, int32_t k) {
  return cx_make(q15_round((int32_t)c.r * k), q15_round((int32_t)c.i * k));
}
static inline cx cx_add(cx a, cx b) { return cx_make(a.r + b.r, a.i + b.i); }
static inline cx cx_sub(cx a, cx b) { return cx_make(a.r - b.r, a.i - b.i); }
static inline cx cx_add_jconj(cx a, cx b) { return cx_make(a.r + b.i, a.i - b.r); }
static inline cx cx_sub_jconj(cx a, cx b) { return cx_make(a.r - b.i, a.i + b.r); }
#endif

enum { DIV2 = 32767 / 2, DIV4 = 32767 / 4, SIG_FFT_MAX_LENGTH = 4096 };

/* A complex FFT of n points (n = fft_length / 2) with its tables in the arena. */
typedef struct sig_fft16 {
  int32_t n;
  int16_t *quarter;       /* round(32767 sin(2 pi j / (2n))), j = 0..n/2 */
  cpx *twiddles;          /* n twiddles: phase -2 pi t / n (conjugated when inverse) */
  uint16_t *perm;         /* leaf order: input index of each output slot */
  int factors[2 * 12];    /* (radix, remaining length) pairs, as kf_factor */
  int stages;
  bool inverse;
} sig_fft16;

/* Tables for a real FFT of fft_length points (a power of two in [4, 4096],
 * checked by the caller); persistent arena memory, prepare only. */
tfm_status sig_fft16_plan(tfm_context *ctx, sig_fft16 *p, int32_t fft_length, bool inverse);
/* out[0..n) = FFT of the n complex values (x[2c], x[2c + 1]); samples at or
 * beyond `length` read as zeros. out must not overlap x. */
void sig_fft16_run(const sig_fft16 *p, const int16_t *x, int32_t length, cpx *out);

/* sin(2 pi k / m) in double (m a multiple of 4), for the float FFT's twiddles. */
double sig_sin_2pi(int32_t k, int32_t m);

#endif /* TFM_KERNELS_SIGNAL_KISS_FFT16_H */
