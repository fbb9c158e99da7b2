/* arm-dsp CONV_2D's paths beside conv_2d.c's general im2col: inputs of 1 to 3
 * channels through a strip of interleaved input rows (dsp_conv_strip.c). */
#ifndef TFM_ARM_DSP_CONV_H
#define TFM_ARM_DSP_CONV_H

#include "arm_dsp.h"
#include "common/conv_2d.h"

/* Upper bound of each of the strip path's two scratch parts (bytes). */
#define DSP_STRIP_MAX 4096

/* Scratch bytes the strip path needs after the column block and the table
 * (0: the layer is not for it: more than 3 input channels, dilated columns,
 * groups, or parts above DSP_STRIP_MAX). */
int32_t dsp_conv_strip_scratch(const TfmConv2DData *d);

/* int8 CONV_2D (groups 1) of a layer dsp_conv_strip_scratch accepts; scratch:
 * the column block, the gemm table, then its own part; w16: the channel
 * stream of a CONV_W16_STRIP record (arm_dsp.h) or NULL. */
void dsp_conv_strip(const TfmConv2DData *d, const int8_t *in, const int8_t *filter,
                    const int32_t *bias, int8_t *out, uint8_t *scratch, const int8_t *w16);

#endif /* TFM_ARM_DSP_CONV_H */
