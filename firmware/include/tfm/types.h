/* Tensor types and the runtime tensor record.
 *
 * tfm_type values are the .tflite schema's TensorType values, so a type read
 * from the model needs no translation. */
#ifndef TFM_TYPES_H
#define TFM_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum tfm_type {
  TFM_FLOAT32 = 0,
  TFM_FLOAT16 = 1,
  TFM_INT32 = 2,
  TFM_UINT8 = 3,
  TFM_INT64 = 4,
  TFM_STRING = 5,
  TFM_BOOL = 6,
  TFM_INT16 = 7,
  TFM_INT8 = 9,
  TFM_FLOAT64 = 10,
  TFM_RESOURCE = 13,
  TFM_UINT32 = 15,
  TFM_UINT16 = 16
} tfm_type;

/* Largest rank any kernel handles. */
#define TFM_MAX_DIMS 6

/* Tensor flags. */
#define TFM_TENSOR_CONSTANT 0x01u  /* data points into the model buffer (read-only) */
#define TFM_TENSOR_VARIABLE 0x02u  /* is_variable: persistent, survives invocations */
#define TFM_TENSOR_PERSISTENT 0x04u /* allocated from the arena tail */

/* One tensor of the model, as the runtime sees it. Lives in the arena tail,
 * one per tensor of every subgraph, so it is kept small (20 bytes on 32-bit
 * targets). `dims` points into the model flatbuffer (shapes are static); the
 * byte size is tfm_tensor_bytes(); per-channel quantization is read from the
 * model with tfm_tensor_quant(), which finds the flatbuffer Tensor table from
 * (subgraph, index). */
typedef struct tfm_tensor {
  void *data;               /* arena, model buffer (constants), or NULL */
  const int32_t *dims;      /* rank entries; may be NULL when rank == 0 */
  float scale;              /* per-tensor scale (first channel if per-channel), 0 if none */
  int16_t zero_point;       /* per-tensor zero point (first channel if per-channel); the
                             * model loader refuses zero points outside int16 */
  uint16_t index;           /* tensor index within its subgraph */
  uint8_t type;             /* tfm_type */
  uint8_t rank;
  uint8_t flags;            /* TFM_TENSOR_* */
  uint8_t subgraph;         /* index of the subgraph the tensor belongs to */
} tfm_tensor;

/* Per-channel (or per-tensor) quantization read from the model.
 * The arrays may be unaligned: read them with tfm_quant_scale/zero_point. */
typedef struct tfm_quant {
  int32_t count;            /* number of scales (1 for per-tensor, 0 if none) */
  int32_t quantized_dimension;
  const uint8_t *scales;    /* count little-endian float32 */
  const uint8_t *zero_points; /* count little-endian int64, or NULL */
  int32_t zero_point_count;
} tfm_quant;

float tfm_quant_scale(const tfm_quant *q, int32_t i);
int32_t tfm_quant_zero_point(const tfm_quant *q, int32_t i);

/* Byte size of one element of `type`, 0 for unsupported types. */
size_t tfm_type_size(tfm_type type);
/* Short schema name of a type ("INT8", "FLOAT32", ...). */
const char *tfm_type_name(tfm_type type);

/* Number of elements (product of dims; 1 for a scalar). */
int32_t tfm_tensor_elements(const tfm_tensor *t);
/* Byte size: elements * element size (0 for STRING; schema types beyond
 * tfm_type count with their schema size). Loops over the dims: compute it
 * once (in prepare, or once per eval), not per element. */
int32_t tfm_tensor_bytes(const tfm_tensor *t);
/* dims[i], counting negative i from the end; 1 when out of range. */
int32_t tfm_tensor_dim(const tfm_tensor *t, int i);

#endif /* TFM_TYPES_H */
