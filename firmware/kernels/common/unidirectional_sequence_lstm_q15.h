/* The int16 arithmetic of TFLite's integer LSTM (its tensor_utils helpers for
 * the 8x8_16 path), defined in common/unidirectional_sequence_lstm_q15.c.
 *
 * Gate pre-activations are Q3.12 int16, gate outputs Q0.15, the cell state is
 * int16 with a power-of-two scale 2^cell_scale. Sigmoid and tanh are
 * gemmlowp's FixedPoint<int16_t> logistic/tanh bit for bit (int16 raw
 * values: doubling high multiplies round in 16 bits, plain adds wrap), not
 * the int16 LOGISTIC/TANH kernels' lookup tables. Every function works on
 * n flat elements unless it says otherwise. */
#ifndef TFM_KERNELS_UNIDIRECTIONAL_SEQUENCE_LSTM_Q15_H
#define TFM_KERNELS_UNIDIRECTIONAL_SEQUENCE_LSTM_Q15_H

#include <stdint.h>

/* gemmlowp logistic(FixedPoint<int16_t, 3>) -> FixedPoint<int16_t, 0>, in place. */
void tfm_lstm_q15_sigmoid(int16_t *v, int32_t n);
/* gemmlowp tanh(FixedPoint<int16_t, integer_bits>) -> Q0.15; integer_bits 0..6. */
void tfm_lstm_q15_tanh(int integer_bits, const int16_t *in, int32_t n, int16_t *out);

/* out[b, r] = sat16(out[b, r] + MBQM(bias[r] + sum_k x[b, k] * w[r, k]) + zp)
 * for int16 (out8 == NULL) or int8 (out16 == NULL) outputs: TFLite's
 * MatrixBatchVectorMultiplyAccumulate with multiplier and shift. */
void tfm_lstm_q15_matmul_acc(const int8_t *x, const int32_t *bias, const int8_t *w,
                             int32_t multiplier, int shift, int32_t batch, int32_t cols,
                             int32_t rows, int32_t zp, int16_t *out16, int8_t *out8);

/* Peephole: result[k] = sat16(result[k] + MBQM(w[k % size] * c[k])) for
 * k < batch * size (TFLite walks `size` = n_output elements per batch row). */
void tfm_lstm_q15_peephole_acc(const int16_t *w, int32_t size, const int16_t *c, int32_t batch,
                               int32_t multiplier, int shift, int16_t *result);

/* TFLite's integer ApplyLayerNorm of [batch, n] gates in place: mean and
 * variance in fixed point (the variance exact only for power-of-two n),
 * 1/stddev by GetInvSqrtQuantizedMultiplierExp, * coefficient + bias, then
 * the coefficient scale; `variance_guard` replaces a variance below 1. */
void tfm_lstm_q15_layer_norm(int16_t *v, const int16_t *coeff, const int32_t *bias,
                             int32_t scale_a, int scale_b, int32_t variance_guard,
                             int32_t batch, int32_t n);

/* a * b rounded right by `shift`, wrapped to int16 (CwiseMul, no saturation). */
void tfm_lstm_q15_mul_shift(const int16_t *a, const int16_t *b, int32_t n, int shift,
                            int16_t *out);
/* int8: clamp(MBQM(a * b) + zp) (CwiseMul with a multiplier and output zp). */
void tfm_lstm_q15_mul_rescale(const int16_t *a, const int16_t *b, int32_t n,
                              int32_t multiplier, int shift, int32_t zp, int8_t *out);

#endif /* TFM_KERNELS_UNIDIRECTIONAL_SEQUENCE_LSTM_Q15_H */
