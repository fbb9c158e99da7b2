/* arm-mve int8 ADD and MUL (kernels add.c, mul.c): four elements per MVE
 * vector in int32 lanes, with TFLite's arithmetic (common/binary_common.c):
 *  ADD: x_i = (offset_i + in_i) << left_shift, each rescaled by its
 *       multiplier, summed (wrapping), rescaled to the output, + output
 *       offset, clamped;
 *  MUL: (offset_1 + in_1) * (offset_2 + in_2) (exact: |.| <= 255 * 255),
 *       rescaled, + output offset, clamped.
 * Every rescale is mve_rq.h's (bit-identical to MultiplyByQuantizedMultiplier).
 * Shapes: equal, or one input a single element (broadcast to every lane);
 * other broadcasts run the reference eval. The last n % 4 elements run under
 * a VCTP32 predicate. */
#ifndef TFM_ARM_MVE_BINARY_H
#define TFM_ARM_MVE_BINARY_H

#include "common/binary_common.h"
#include "mve_rq.h"

/* Elements of t (1 for a scalar). */
static inline int32_t mve_elements(const tfm_tensor *t) {
  int32_t n = 1;
  for (int i = 0; i < t->rank; ++i) n *= t->dims[i];
  return n;
}

/* Whether the MVE loop takes this int8 node: equal shapes, or one side one
 * element. *one1 / *one2: that input is the single element. */
static inline bool mve_binary_fast(const tfm_binary_data *d, const tfm_tensor *a,
                                   const tfm_tensor *b, const tfm_tensor *o, bool *one1,
                                   bool *one2) {
  if (a->type != TFM_INT8 || o->type != TFM_INT8) return false;
  const int32_t n = d->bc.count;
  *one1 = mve_elements(a) == 1 && n > 1;
  *one2 = mve_elements(b) == 1 && n > 1;
  return !d->bc.broadcast || *one1 || *one2;
}

#endif /* TFM_ARM_MVE_BINARY_H */
