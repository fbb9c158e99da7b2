/* int8 dot-product blocks of the arm-mve kernels (Cortex-M55, Helium / MVE).
 *
 * Each block is one tail-predicated low-overhead loop (DLSTP.8 / LETP): 16
 * int8 values per iteration, the last k % 16 under the hardware's tail
 * predicate (lanes off load nothing and add nothing), so there is no scalar
 * or separately predicated remainder. VMLADAVA.S8 multiplies 16 lane pairs
 * and adds them into a 32-bit scalar accumulator, modulo 2^32 like the
 * reference's sums (every product is exact and integer addition modulo 2^32
 * does not depend on the order). The loops are inline assembly because GCC 12
 * neither emits DLSTP nor keeps the pointers of several rows in registers
 * (VMLADAVA's accumulator must be an even register: constraint "Te"). */
#ifndef TFM_ARM_MVE_DOT_H
#define TFM_ARM_MVE_DOT_H

#include <arm_mve.h>
#include <stdint.h>

#if !defined(__ARM_FEATURE_MVE)
#error "kernel set arm-mve needs the M-profile Vector Extension (Cortex-M55)"
#endif

#define MVE_INLINE static inline __attribute__((always_inline))

/* Lanes {a, b, c, d} of an int32x4_t (two VMOVs of two core registers each). */
MVE_INLINE int32x4_t mve_vec4(int32_t a, int32_t b, int32_t c, int32_t d) {
  int32x4_t v;
  __asm__("vmov %q0[2], %q0[0], %1, %3\n\tvmov %q0[3], %q0[1], %2, %4"
          : "=&w"(v)
          : "r"(a), "r"(b), "r"(c), "r"(d));
  return v;
}

/* acc_rp += sum_j w_r[j] * x_p[j] over k values, for rows w0, w1 = w0 + stride
 * and pixels xa, xb. */
MVE_INLINE void mve_dot2x2(const int8_t *w0, const int8_t *w1, const int8_t *xa,
                           const int8_t *xb, int32_t k, int32_t *a0, int32_t *a1, int32_t *b0,
                           int32_t *b1) {
  int32_t ra0 = *a0, ra1 = *a1, rb0 = *b0, rb1 = *b1;
  __asm__ volatile(
      "dlstp.8 lr, %[n]\n"
      "1:\n\t"
      "vldrb.8 q0, [%[xa]], #16\n\t"
      "vldrb.8 q1, [%[xb]], #16\n\t"
      "vldrb.8 q2, [%[w0]], #16\n\t"
      "vldrb.8 q3, [%[w1]], #16\n\t"
      "vmladava.s8 %[a0], q2, q0\n\t"
      "vmladava.s8 %[b0], q2, q1\n\t"
      "vmladava.s8 %[a1], q3, q0\n\t"
      "vmladava.s8 %[b1], q3, q1\n\t"
      "letp lr, 1b"
      : [a0] "+Te"(ra0), [a1] "+Te"(ra1), [b0] "+Te"(rb0), [b1] "+Te"(rb1), [xa] "+r"(xa),
        [xb] "+r"(xb), [w0] "+r"(w0), [w1] "+r"(w1)
      : [n] "r"(k)
      : "q0", "q1", "q2", "q3", "lr", "memory");
  *a0 = ra0, *a1 = ra1, *b0 = rb0, *b1 = rb1;
}

/* mve_dot2x2 over `runs` runs of seg bytes (seg a multiple of 16): run r
 * reads the weights at w0 / w1 + r * seg and the pixels at xa / xb + r *
 * (seg + x_skip): the filter rows of a window inside the image (implicit
 * GEMM). The run loop is in the assembly too, so the accumulators stay in
 * registers. */
MVE_INLINE void mve_dot2x2_runs(const int8_t *w0, const int8_t *w1, const int8_t *xa,
                                const int8_t *xb, int32_t seg, int32_t runs, int32_t x_skip,
                                int32_t *a0, int32_t *a1, int32_t *b0, int32_t *b1) {
  int32_t ra0 = *a0, ra1 = *a1, rb0 = *b0, rb1 = *b1;
  __asm__ volatile(
      "1:\n\t"
      "dlstp.8 lr, %[n]\n"
      "2:\n\t"
      "vldrb.8 q0, [%[xa]], #16\n\t"
      "vldrb.8 q1, [%[xb]], #16\n\t"
      "vldrb.8 q2, [%[w0]], #16\n\t"
      "vldrb.8 q3, [%[w1]], #16\n\t"
      "vmladava.s8 %[a0], q2, q0\n\t"
      "vmladava.s8 %[b0], q2, q1\n\t"
      "vmladava.s8 %[a1], q3, q0\n\t"
      "vmladava.s8 %[b1], q3, q1\n\t"
      "letp lr, 2b\n\t"
      "add %[xa], %[xa], %[skip]\n\t"
      "add %[xb], %[xb], %[skip]\n\t"
      "subs %[runs], %[runs], #1\n\t"
      "bne 1b"
      : [a0] "+Te"(ra0), [a1] "+Te"(ra1), [b0] "+Te"(rb0), [b1] "+Te"(rb1), [xa] "+r"(xa),
        [xb] "+r"(xb), [w0] "+r"(w0), [w1] "+r"(w1), [runs] "+r"(runs)
      : [n] "r"(seg), [skip] "r"(x_skip)
      : "q0", "q1", "q2", "q3", "lr", "memory", "cc");
  *a0 = ra0, *a1 = ra1, *b0 = rb0, *b1 = rb1;
}

/* acc_r += sum_j w_r[j] * x[j] for the four rows w0 + r * stride. */
MVE_INLINE void mve_dot4x1(const int8_t *w0, int32_t stride, const int8_t *x, int32_t k,
                           int32_t acc[4]) {
  const int8_t *w1 = w0 + stride, *w2 = w1 + stride, *w3 = w2 + stride;
  int32_t r0 = acc[0], r1 = acc[1], r2 = acc[2], r3 = acc[3];
  __asm__ volatile(
      "dlstp.8 lr, %[n]\n"
      "1:\n\t"
      "vldrb.8 q0, [%[x]], #16\n\t"
      "vldrb.8 q1, [%[w0]], #16\n\t"
      "vldrb.8 q2, [%[w1]], #16\n\t"
      "vmladava.s8 %[r0], q1, q0\n\t"
      "vldrb.8 q1, [%[w2]], #16\n\t"
      "vmladava.s8 %[r1], q2, q0\n\t"
      "vldrb.8 q2, [%[w3]], #16\n\t"
      "vmladava.s8 %[r2], q1, q0\n\t"
      "vmladava.s8 %[r3], q2, q0\n\t"
      "letp lr, 1b"
      : [r0] "+Te"(r0), [r1] "+Te"(r1), [r2] "+Te"(r2), [r3] "+Te"(r3), [x] "+r"(x),
        [w0] "+r"(w0), [w1] "+r"(w1), [w2] "+r"(w2), [w3] "+r"(w3)
      : [n] "r"(k)
      : "q0", "q1", "q2", "lr", "memory");
  acc[0] = r0, acc[1] = r1, acc[2] = r2, acc[3] = r3;
}

/* acc + sum_j w[j] * x[j]. */
MVE_INLINE int32_t mve_dot1(const int8_t *w, const int8_t *x, int32_t k, int32_t acc) {
  __asm__ volatile(
      "dlstp.8 lr, %[n]\n"
      "1:\n\t"
      "vldrb.8 q0, [%[x]], #16\n\t"
      "vldrb.8 q1, [%[w]], #16\n\t"
      "vmladava.s8 %[r], q1, q0\n\t"
      "letp lr, 1b"
      : [r] "+Te"(acc), [x] "+r"(x), [w] "+r"(w)
      : [n] "r"(k)
      : "q0", "q1", "lr", "memory");
  return acc;
}

/* acc + sum_j w[j] (the weight sums of the input-offset correction). */
MVE_INLINE int32_t mve_sum1(const int8_t *w, int32_t k, int32_t acc) {
  __asm__ volatile(
      "dlstp.8 lr, %[n]\n"
      "1:\n\t"
      "vldrb.8 q0, [%[w]], #16\n\t"
      "vaddva.s8 %[r], q0\n\t"
      "letp lr, 1b"
      : [r] "+Te"(acc), [w] "+r"(w)
      : [n] "r"(k)
      : "q0", "lr", "memory");
  return acc;
}

/* dst[0..n) = src[0..n) (short rows: no call, 16 bytes per iteration). */
MVE_INLINE void mve_copy(int8_t *dst, const int8_t *src, int32_t n) {
  if (n <= 0) return;
  __asm__ volatile(
      "dlstp.8 lr, %[n]\n"
      "1:\n\t"
      "vldrb.8 q0, [%[s]], #16\n\t"
      "vstrb.8 q0, [%[d]], #16\n\t"
      "letp lr, 1b"
      : [s] "+r"(src), [d] "+r"(dst)
      : [n] "r"(n)
      : "q0", "lr", "memory");
}

/* dst[0..n) = v. */
MVE_INLINE void mve_fill(int8_t *dst, int8_t v, int32_t n) {
  if (n <= 0) return;
  const int8x16_t q = vdupq_n_s8(v);
  __asm__ volatile(
      "dlstp.8 lr, %[n]\n"
      "1:\n\t"
      "vstrb.8 %q[q], [%[d]], #16\n\t"
      "letp lr, 1b"
      : [d] "+r"(dst)
      : [n] "r"(n), [q] "w"(q)
      : "lr", "memory");
}

#endif /* TFM_ARM_MVE_DOT_H */
