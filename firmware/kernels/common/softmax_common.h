/* SOFTMAX shared prepare (TFLM split: prepare here, eval in
 * reference/softmax.c, replaceable by a vendor file of the same name).
 *
 * Types: float32; int8 -> int8 and int8 -> int16 (gemmlowp fixed point:
 * exp_on_negative_values on a Q5.26 scaled difference, Q12.19 sum,
 * reciprocal by Newton-Raphson); int16 -> int16 (513-entry LUTs for exp on
 * [-10, 0] and 1 / (1 + x) on [0, 1], built in prepare in the arena). */
#ifndef TFM_KERNELS_SOFTMAX_COMMON_H
#define TFM_KERNELS_SOFTMAX_COMMON_H

#include "tfm/kernel.h"

#define TFM_SOFTMAX_LUT_SIZE 513

typedef struct tfm_softmax_data {
  float beta;
  int32_t input_multiplier;
  int input_left_shift;
  int32_t diff_min;            /* int8: differences below this give 0 */
  int16_t *exp_lut;            /* int16 only: TFM_SOFTMAX_LUT_SIZE entries */
  int16_t *one_over_one_plus_x_lut;
} tfm_softmax_data;

tfm_status tfm_softmax_prepare(tfm_context *ctx, tfm_node *node);

/* TFLite's int16 LUT interpolation: 512 segments over the int16 range. */
int16_t tfm_lut_lookup_i16(int16_t value, const int16_t *lut);

#endif /* TFM_KERNELS_SOFTMAX_COMMON_H */
