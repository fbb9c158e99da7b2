/* Shared prepare and eval of the comparison ops (EQUAL, NOT_EQUAL, GREATER,
 * GREATER_EQUAL, LESS, LESS_EQUAL: two inputs of one type -> BOOL) and of
 * LOGICAL_AND / LOGICAL_OR (BOOL x BOOL -> BOOL), with broadcasting.
 *
 * One loop per input type serves every comparison: each element pair is
 * classified as less (0), equal (1), greater (2) or unordered (3, a NaN), and
 * the op is a 4-bit mask of the classes that give true. NaN compares false
 * except for NOT_EQUAL, as in C. INT8 and UINT8 inputs are compared after
 * TFLite's rescaling (ComparisonWithScaling: (x - zero_point) << 8 times the
 * input scale as a Q31 multiplier), so inputs with different quantization
 * compare by real value; other types compare raw values. */
#ifndef TFM_KERNELS_COMPARE_COMMON_H
#define TFM_KERNELS_COMPARE_COMMON_H

#include "common/binary_common.h"

enum {
  TFM_CMP_LESS = 1u << 0,
  TFM_CMP_EQUAL = 1u << 1,
  TFM_CMP_GREATER = 1u << 2,
  TFM_CMP_UNORDERED = 1u << 3
};

typedef struct tfm_compare_data {
  tfm_bcast bc;
  int32_t in1_offset; /* -zero_point (INT8/UINT8) */
  int32_t in2_offset;
  int32_t in1_multiplier;
  int32_t in2_multiplier;
  int in1_shift;
  int in2_shift;
} tfm_compare_data;

/* 2 inputs of the same type (one of `types`, a list ending with -1), a BOOL
 * output of the broadcast shape; fills tfm_compare_data in node->data. */
tfm_status tfm_compare_prepare(tfm_context *ctx, tfm_node *node, const char *op,
                               const int *types);
/* y = bit (class of x1 vs x2) of `mask` (TFM_CMP_* bits). */
tfm_status tfm_compare_eval(tfm_context *ctx, tfm_node *node, unsigned mask);

/* LOGICAL_AND / LOGICAL_OR: BOOL inputs and output, broadcasting. */
tfm_status tfm_logical_prepare(tfm_context *ctx, tfm_node *node, const char *op);
tfm_status tfm_logical_eval(tfm_context *ctx, tfm_node *node, bool is_and);

#endif /* TFM_KERNELS_COMPARE_COMMON_H */
