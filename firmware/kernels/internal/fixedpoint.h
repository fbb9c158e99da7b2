/* gemmlowp-style fixed-point arithmetic and float helpers used by TFLite's
 * reference activation and softmax kernels.
 *
 * A fixed-point value "Qi" is an int32 raw value with i integer bits and
 * 31 - i fractional bits. Products of Qa and Qb are Q(a+b) and use
 * SaturatingRoundingDoublingHighMul, exactly as gemmlowp's FixedPoint. The
 * functions reproduce gemmlowp/TFLite bit for bit; the float helpers
 * (tfm_expf, tfm_tanhf) are our own libm-free versions, correctly rounded
 * in practice because they evaluate in double. */
#ifndef TFM_KERNELS_FIXEDPOINT_H
#define TFM_KERNELS_FIXEDPOINT_H

#include <stdint.h>

/* Saturating multiply of a raw value by 2^exponent with rounding for
 * negative exponents (gemmlowp SaturatingRoundingMultiplyByPOT). */
int32_t tfm_fp_mul_pot(int32_t x, int exponent);

/* Round((a + b) / 2) computed without overflow (gemmlowp RoundingHalfSum). */
int32_t tfm_fp_rounding_half_sum(int32_t a, int32_t b);

/* exp(a) for a <= 0; a is Q(integer_bits), the result Q0.
 * (gemmlowp exp_on_negative_values) */
int32_t tfm_fp_exp_on_negative_values(int32_t a, int integer_bits);

/* 1 / (1 + x) for x in [0, 1); x and the result are Q0.
 * (gemmlowp one_over_one_plus_x_for_x_in_0_1) */
int32_t tfm_fp_one_over_one_plus_x(int32_t x);

/* TFLite GetReciprocal: reciprocal of the Q(x_integer_digits) value x as a
 * Q0 value scaled by 2^-num_bits_over_unit. */
int32_t tfm_fp_reciprocal(int32_t x, int x_integer_digits, int *num_bits_over_unit);

/* Count of leading zero bits of x (32 for 0). */
int tfm_clz32(uint32_t x);

/* exp and tanh without libm, for float kernels and table generation. */
float tfm_expf(float x);
double tfm_exp(double x);
float tfm_tanhf(float x);

/* TFLite's CheckedLog2: true when x is a power of two (within 1e-3 in the
 * log domain); *log2_result = round(log2(x)). */
int tfm_checked_log2(float x, int *log2_result);

/* Fill a 256-entry int8 table: out[(uint8)q] = quantized fn(dequantized q),
 * as TFLite's LUTPopulate<int8_t>. */
void tfm_lut_populate_i8(float in_scale, int32_t in_zp, float out_scale, int32_t out_zp,
                         float (*fn)(float), int8_t *table);

#endif /* TFM_KERNELS_FIXEDPOINT_H */
