/* The arm-dsp ADD input rescale (see add.c), pure C99 so that
 * tests/kernels_arm/test_arm_dsp_fast.py checks it on the host against
 * internal/quant.h for every input value. */
#ifndef TFM_ARM_DSP_ADD_H
#define TFM_ARM_DSP_ADD_H

#include <stdbool.h>
#include <stdint.h>

/* One input's rescale constants: offset, multiplier split at bit 11, the
 * rounding constants of the right shift r. */
typedef struct dsp_add_in {
  int32_t offset, m_hi, m_lo, half, neg, r;
} dsp_add_in;

static inline bool dsp_add_in_make(int32_t offset, int32_t m, int shift, dsp_add_in *q) {
  if (m < 0 || shift > 0 || shift < -30) return false;
  q->offset = offset;
  q->m_hi = m >> 11;
  q->m_lo = m & 0x7FF;
  q->r = -shift;
  q->half = q->r > 0 ? (int32_t)(1u << (q->r - 1)) : 0;
  q->neg = q->r > 0 ? -1 : 0; /* RoundingDivideByPOT by 0 is the identity */
  return true;
}

/* MultiplyByQuantizedMultiplierSmallerThanOneExp((x + offset) << 20, m, shift). */
static inline int32_t dsp_add_scale(const dsp_add_in *q, int32_t x) {
  const int32_t v = x + q->offset;
  const int32_t h = v * q->m_hi + ((v * q->m_lo + 1024) >> 11);
  return (h + q->half + ((h >> 31) & q->neg)) >> q->r;
}

#endif /* TFM_ARM_DSP_ADD_H */
