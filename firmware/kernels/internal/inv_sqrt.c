#include "internal/inv_sqrt.h"

#include "internal/fixedpoint.h"
#include "internal/quant.h"

/* Q3 x Q3 -> Q6 raw, the gemmlowp product. */
static inline int32_t mul(int32_t a, int32_t b) { return tfm_saturating_rounding_doubling_high_mul(a, b); }

void tfm_inv_sqrt_quantized_multiplier_exp(int32_t input, int reverse_shift, int32_t *multiplier,
                                           int *shift) {
  if (input <= 1) { /* 0 (invalid) and 1 as TFLite: the largest multiplier */
    *multiplier = INT32_MAX;
    *shift = 0;
    return;
  }
  int s = 11;
  while (input >= (1 << 29)) {
    input /= 4;
    ++s;
  }
  const int max_left_shift_bits = tfm_clz32((uint32_t)input) - 1;
  const int left_shift_bit_pairs = max_left_shift_bits / 2 - 1;
  s -= left_shift_bit_pairs;
  input = (int32_t)((uint32_t)input << (2 * left_shift_bit_pairs)); /* now in [2^27, 2^29) */
  const int32_t x_in = input >> 1;                        /* Q3 */
  const int32_t half_input = tfm_fp_mul_pot(x_in, -1);    /* Q3 */
  const int32_t half_three = (1 << 28) + (1 << 27);       /* 1.5 in Q3 */
  int32_t x = 1 << 28;                                    /* 1.0 in Q3 */
  for (int i = 0; i < 5; ++i) {
    /* x3 = Rescale<3>(x * x * x): Q9 -> Q3 */
    const int32_t x3 = tfm_fp_mul_pot(mul(mul(x, x), x), 6);
    /* x = Rescale<3>(1.5 x - half_input * x3): Q6 -> Q3 (the Q6 difference wraps as gemmlowp's) */
    const int32_t diff = tfm_wrap_i32((uint32_t)mul(half_three, x) - (uint32_t)mul(half_input, x3));
    x = tfm_fp_mul_pot(diff, 3);
  }
  x = mul(x, 1518500250); /* times sqrt(2) / 2 in Q0: stays Q3 */
  if (s < 0) {
    x = (int32_t)((uint32_t)x << -s);
    s = 0;
  }
  *multiplier = x;
  *shift = s * reverse_shift;
}
