/* Status and type names, tensor shape helpers, quantization readers. */
#include <string.h>

#include "runtime.h"

const char *tfm_status_name(tfm_status status) {
  switch (status) {
    case TFM_OK: return "OK";
    case TFM_ERROR: return "ERROR";
    case TFM_BAD_MODEL: return "BAD_MODEL";
    case TFM_UNSUPPORTED: return "UNSUPPORTED";
    case TFM_ARENA_TOO_SMALL: return "ARENA_TOO_SMALL";
    case TFM_BAD_ARGUMENT: return "BAD_ARGUMENT";
    case TFM_BAD_STATE: return "BAD_STATE";
  }
  return "ERROR";
}

/* TFM_RESOURCE tensors hold one int32 resource id. */
size_t tfm_type_size(tfm_type type) {
  switch (type) {
    case TFM_BOOL: case TFM_UINT8: case TFM_INT8: return 1;
    case TFM_FLOAT16: case TFM_INT16: case TFM_UINT16: return 2;
    case TFM_FLOAT32: case TFM_INT32: case TFM_UINT32: case TFM_RESOURCE: return 4;
    case TFM_INT64: case TFM_FLOAT64: return 8;
    case TFM_STRING: return 0;
  }
  return 0;
}

const char *tfm_type_name(tfm_type type) {
  switch (type) {
    case TFM_FLOAT32: return "FLOAT32";
    case TFM_FLOAT16: return "FLOAT16";
    case TFM_INT32: return "INT32";
    case TFM_UINT8: return "UINT8";
    case TFM_INT64: return "INT64";
    case TFM_STRING: return "STRING";
    case TFM_BOOL: return "BOOL";
    case TFM_INT16: return "INT16";
    case TFM_INT8: return "INT8";
    case TFM_FLOAT64: return "FLOAT64";
    case TFM_RESOURCE: return "RESOURCE";
    case TFM_UINT32: return "UINT32";
    case TFM_UINT16: return "UINT16";
  }
  return "?";
}

int32_t tfm_tensor_elements(const tfm_tensor *t) {
  int32_t n = 1;
  for (int i = 0; i < t->rank; ++i) n *= t->dims[i];
  return n;
}

/* Schema TensorType values beyond tfm_type (kernels reject them by type). */
enum { SCHEMA_COMPLEX64 = 8, SCHEMA_COMPLEX128 = 11, SCHEMA_UINT64 = 12, SCHEMA_BFLOAT16 = 18 };

size_t tfm_schema_type_size(uint32_t type) {
  switch (type) {
    case SCHEMA_COMPLEX64: case SCHEMA_UINT64: return 8;
    case SCHEMA_COMPLEX128: return 16;
    case SCHEMA_BFLOAT16: return 2;
    default: return tfm_type_size((tfm_type)type);
  }
}

/* The loader checked that this product fits int32. */
int32_t tfm_tensor_bytes(const tfm_tensor *t) {
  return tfm_tensor_elements(t) * (int32_t)tfm_schema_type_size(t->type);
}

int32_t tfm_tensor_dim(const tfm_tensor *t, int i) {
  if (i < 0) i += t->rank;
  if (i < 0 || i >= t->rank) return 1;
  return t->dims[i];
}

float tfm_quant_scale(const tfm_quant *q, int32_t i) {
  if (q->scales == NULL || i < 0 || i >= q->count) return 0.0f;
  const uint8_t *p = q->scales + 4 * i;
  uint32_t bits = (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) |
                  ((uint32_t)p[3] << 24);
  float f;
  memcpy(&f, &bits, sizeof f);
  return f;
}

int32_t tfm_quant_zero_point(const tfm_quant *q, int32_t i) {
  if (q->zero_points == NULL || i < 0 || i >= q->zero_point_count) return 0;
  const uint8_t *p = q->zero_points + 8 * i;
  uint32_t lo = (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) |
                ((uint32_t)p[3] << 24);
  return (int32_t)lo; /* the loader checked: zero points fit int16 (low word of the int64) */
}
