/* Helpers shared by the shape / data-movement kernels (reshape, concat,
 * split, pack, pad, slice, transpose, gather, resize, arg_max, reduce).
 *
 * Parameter tensors (axes, paddings, begin/end, indices) may be int32 or
 * int64 and may live unaligned in the model buffer, so they are read byte by
 * byte. Copies are byte loops: no libc in firmware. */
#ifndef TFM_KERNELS_SHAPE_COMMON_H
#define TFM_KERNELS_SHAPE_COMMON_H

#include "tfm/kernel.h"

/* Element i of an INT32 or INT64 tensor, widened to int64 (little endian,
 * any alignment). Other types read as 0: check the type in prepare. */
int64_t tfm_shape_read_index(const tfm_tensor *t, int32_t i);

/* True when `t` is INT32 or INT64. */
bool tfm_shape_is_index_type(const tfm_tensor *t);

/* Byte copy (regions must not overlap). */
void tfm_shape_copy(void *dst, const void *src, size_t bytes);

/* Product of dims[from, to) of `t` (1 for an empty range). */
int32_t tfm_shape_product(const tfm_tensor *t, int from, int to);

/* Normalize a possibly negative axis for `rank`; -1 when out of range. */
int tfm_shape_axis(int32_t axis, int rank);

/* GATHER / TRANSPOSE prepare checks: `data` has a type with a size, the
 * output's type; `index` (indices, perm) is INT32 or INT64. The roles name
 * the tensors in messages. */
tfm_status tfm_shape_check_data_and_index(tfm_context *ctx, const char *data_role,
                                          const tfm_tensor *data, const char *index_role,
                                          const tfm_tensor *index, const tfm_tensor *out);

/* Checks that the node has the given input/output counts (min..max inputs). */
tfm_status tfm_shape_check_io(tfm_context *ctx, const tfm_node *node, int min_inputs,
                              int max_inputs, int outputs);

/* Prepare/eval of the pure copy ops (RESHAPE, SQUEEZE, EXPAND_DIMS): the
 * output holds the input's bytes in the output's (static) shape. Input and
 * output may have different buffers (or the input may be a constant), so
 * eval always copies unless the buffers are the same. */
tfm_status tfm_shape_copy_prepare(tfm_context *ctx, tfm_node *node);
tfm_status tfm_shape_copy_eval(tfm_context *ctx, tfm_node *node);


/* Splits `in` among all outputs of `node`: the input is `outer` slices, and
 * each slice is the outputs' slices laid end to end, output k contributing
 * elements(out_k) / outer elements (SPLIT, SPLIT_V, UNPACK). */
void tfm_shape_split_outputs(tfm_context *ctx, const tfm_node *node, const tfm_tensor *in,
                             int32_t outer);
/* SPLIT / SPLIT_V prepare checks: the axis tensor is INT32, the input's
 * type has a size and every output has the input's type... */
tfm_status tfm_shape_split_check_types(tfm_context *ctx, const tfm_node *node,
                                       const tfm_tensor *in, const tfm_tensor *axis);
/* ... and the outputs hold the input's elements. */
tfm_status tfm_shape_split_check_sizes(tfm_context *ctx, const tfm_node *node,
                                       const tfm_tensor *in);
/* SPLIT / SPLIT_V eval: splits `in` among the outputs along the axis held by
 * the scalar `axis`; with `equal_splits` (SPLIT) that dim must divide evenly. */
tfm_status tfm_shape_split_eval(tfm_context *ctx, const tfm_node *node, const tfm_tensor *in,
                                const tfm_tensor *axis, bool equal_splits);
/* The inverse: inputs first..num_inputs-1 concatenated slice by slice (PACK). */
void tfm_shape_join_inputs(tfm_context *ctx, const tfm_node *node, int first, tfm_tensor *out,
                           int32_t outer);
/* Checks every output (or input from `first`) has the type of `ref`. */
tfm_status tfm_shape_check_types(tfm_context *ctx, const tfm_node *node, const tfm_tensor *ref,
                                 bool outputs, int first);
/* Strided N-d copy (SLICE, STRIDED_SLICE, TRANSPOSE): output element
 * (i0..in-1), in row-major order, is src[base + sum(i_d * steps[d])]
 * (element units; steps may be negative). rank <= TFM_MAX_DIMS. */
void tfm_shape_view_copy(void *dst, const void *src, size_t elem_size, int rank,
                         const int32_t *counts, const int32_t *steps, int32_t base);
/* Row-major element strides of `t` (strides[rank-1] = 1). */
void tfm_shape_strides(const tfm_tensor *t, int32_t *strides);

/* Zero/constant padding (PAD, PADV2): paddings is an INT32/INT64 [rank, 2]
 * tensor, optional input 2 the PADV2 constant; `pad` points at one element
 * of the tensor's type. */
tfm_status tfm_shape_pad_prepare(tfm_context *ctx, tfm_node *node);
tfm_status tfm_shape_pad_eval(tfm_context *ctx, tfm_node *node, const void *pad);

/* floor/ceil without libm (|x| < 2^31). */
float tfm_shape_floorf(float x);
float tfm_shape_ceilf(float x);

/* Shared prepare of RESIZE_BILINEAR / RESIZE_NEAREST_NEIGHBOR: 4-D NHWC
 * input and output of one type, size input an INT32 [2] tensor. */
tfm_status tfm_shape_resize_prepare(tfm_context *ctx, tfm_node *node, bool integer_only);
/* In eval: checks the size tensor agrees with the static output shape. */
tfm_status tfm_shape_resize_check_size(tfm_context *ctx, const tfm_node *node);

#endif /* TFM_KERNELS_SHAPE_COMMON_H */
