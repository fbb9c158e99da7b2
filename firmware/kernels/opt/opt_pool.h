/* int8 AVERAGE_POOL_2D / MAX_POOL_2D of kernel set "opt": four channels of a
 * window at a time (adjacent bytes, one pointer), the window's tap ranges
 * computed once per output pixel instead of once per channel. Same integer
 * sums, rounding division and clamps as the reference (bit-exact). */
#ifndef TFM_KERNELS_OPT_POOL_H
#define TFM_KERNELS_OPT_POOL_H

#include <stdbool.h>
#include <stdint.h>

#include "common/pool_common.h"

void opt_pool_s8(const tfm_pool_data *d, const int8_t *in, int8_t *out, bool is_max);

#endif /* TFM_KERNELS_OPT_POOL_H */
