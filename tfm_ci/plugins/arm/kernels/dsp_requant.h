/* The arm-dsp kernels' requantization: the shared branch-free form of
 * kernels/internal/rq.h (bit-identical to TFLite's, checked by
 * tests/kernels_arm/test_requant.py), under the dsp_ names. */
#ifndef TFM_ARM_DSP_REQUANT_H
#define TFM_ARM_DSP_REQUANT_H

#include "internal/rq.h"

typedef tfm_rq dsp_rq;
#define dsp_rq_make tfm_rq_make
#define dsp_rq_apply tfm_rq_apply

#endif /* TFM_ARM_DSP_REQUANT_H */
