#include "internal/fixedpoint_log.h"

#include "internal/fixedpoint.h"
#include "internal/quant.h"

enum { kInputBits = 12, kOutputBits = 5, kAccumBits = kOutputBits + 1 };

/* gemmlowp's raw operations: * is SaturatingRoundingDoublingHighMul (the
 * integer bits add up), + and - wrap, Rescale is a saturating power-of-two
 * multiply. */
static inline int32_t mul(int32_t a, int32_t b) { return tfm_saturating_rounding_doubling_high_mul(a, b); }
static inline int32_t add(int32_t a, int32_t b) { return tfm_add_wrap_i32(a, b); }
static inline int32_t sub(int32_t a, int32_t b) { return tfm_wrap_i32((uint32_t)a - (uint32_t)b); }
static inline int32_t sat(int64_t v) { return v > INT32_MAX ? INT32_MAX : (v < INT32_MIN ? INT32_MIN : (int32_t)v); }

int32_t tfm_fp_log_q12_to_q5(int32_t z_a) {
  /* Q0 constants */
  const int32_t log_2 = 1488522236, sqrt_sqrt_half = 1805811301, sqrt_half = 1518500250;
  const int32_t one_quarter = 536870912;
  const int32_t alpha_n = 117049297, alpha_d = 127690142, alpha_i = 1057819769;
  const int32_t alpha_f = 638450708;
  const int32_t shifted_quarter = tfm_fp_mul_pot(one_quarter, -kAccumBits); /* Rescale<6> */

  const int z_a_headroom_plus_1 = tfm_clz32((uint32_t)z_a);
  const int32_t r_a_tmp = tfm_fp_mul_pot(z_a, z_a_headroom_plus_1 - 1);
  const int32_t r_a_raw = tfm_fp_mul_pot(mul(r_a_tmp, sqrt_half), 1);
  const int32_t z_a_pow_2_adj =
      sat((int64_t)tfm_fp_mul_pot(kInputBits - z_a_headroom_plus_1, 31 - kAccumBits) + shifted_quarter);

  const int32_t z_b = mul(z_a, sqrt_half);
  const int z_b_headroom = tfm_clz32((uint32_t)z_b) - 1;
  const int32_t r_b_raw = tfm_fp_mul_pot(z_a, z_b_headroom);
  const int32_t z_b_pow_2_adj =
      sat((int64_t)tfm_fp_mul_pot(kInputBits - z_b_headroom, 31 - kAccumBits) - shifted_quarter);

  const int32_t r = r_a_raw < r_b_raw ? r_a_raw : r_b_raw;
  const int32_t z_pow_2_adj = z_a_pow_2_adj > z_b_pow_2_adj ? z_a_pow_2_adj : z_b_pow_2_adj;

  const int32_t p = tfm_fp_rounding_half_sum(r, sqrt_sqrt_half);
  int32_t q = sub(r, sqrt_sqrt_half);
  q = add(q, q);
  const int32_t common_sq = mul(q, q);
  const int32_t num = add(mul(q, r), mul(mul(q, common_sq), alpha_n));
  const int32_t denom_minus_one =
      add(mul(p, add(add(alpha_i, q), mul(alpha_d, common_sq))), mul(alpha_f, q));
  const int32_t recip_denom = tfm_fp_one_over_one_plus_x(denom_minus_one);
  const int32_t num_scaled = tfm_fp_mul_pot(num, -kAccumBits); /* Rescale<6>(Q0) */
  const int32_t sum = add(mul(z_pow_2_adj, log_2), mul(num_scaled, recip_denom)); /* Q6 */
  return tfm_fp_mul_pot(sum, kAccumBits - kOutputBits); /* Rescale<5> */
}
