/* TFLite's log_x_for_x_greater_than_or_equal_to_1<5>() (internal/common.h)
 * for a Q12 input: log(x) as a Q5 raw value, the gemmlowp fixed-point
 * polynomial of LOG_SOFTMAX's int8 kernel, bit for bit. */
#ifndef TFM_KERNELS_FIXEDPOINT_LOG_H
#define TFM_KERNELS_FIXEDPOINT_LOG_H

#include <stdint.h>

int32_t tfm_fp_log_q12_to_q5(int32_t x_q12);

#endif /* TFM_KERNELS_FIXEDPOINT_LOG_H */
