/* TFLite's LUTPopulate<int16_t> (float arithmetic): 513 entries sampling
 * `fn` over the int16 input range, each sample nudged by half the error of
 * the linear interpolation at its segment's midpoint; looked up with
 * tfm_lut_lookup_i16 (common/softmax_common.h). The output zero point does
 * not enter (int16 ops require 0). */
#ifndef TFM_KERNELS_LUT16_H
#define TFM_KERNELS_LUT16_H

#include <stdint.h>

#define TFM_LUT16_SIZE 513

void tfm_lut_populate_i16(float in_scale, int32_t in_zp, float out_scale, int32_t out_zp,
                          float (*fn)(float), int16_t *lut);

#endif /* TFM_KERNELS_LUT16_H */
