/* Registration functions, one per builtin op, and the op table.
 *
 * Each returns the kernel for that op; referencing one links it in. A vendor
 * kernel set replaces the reference file of the same name at build time.
 * Generated list: keep in sync with firmware/kernels/ops.def. */
#ifndef TFM_KERNELS_H
#define TFM_KERNELS_H

#include "tfm/kernel.h"

const tfm_kernel *tfm_register_add(void);
const tfm_kernel *tfm_register_sub(void);
const tfm_kernel *tfm_register_mul(void);
const tfm_kernel *tfm_register_div(void);
const tfm_kernel *tfm_register_maximum(void);
const tfm_kernel *tfm_register_minimum(void);
const tfm_kernel *tfm_register_average_pool_2d(void);
const tfm_kernel *tfm_register_max_pool_2d(void);
const tfm_kernel *tfm_register_conv_2d(void);
const tfm_kernel *tfm_register_depthwise_conv_2d(void);
const tfm_kernel *tfm_register_transpose_conv(void);
const tfm_kernel *tfm_register_fully_connected(void);
const tfm_kernel *tfm_register_softmax(void);
const tfm_kernel *tfm_register_logistic(void);
const tfm_kernel *tfm_register_tanh(void);
const tfm_kernel *tfm_register_relu(void);
const tfm_kernel *tfm_register_relu6(void);
const tfm_kernel *tfm_register_leaky_relu(void);
const tfm_kernel *tfm_register_hard_swish(void);
const tfm_kernel *tfm_register_prelu(void);
const tfm_kernel *tfm_register_reshape(void);
const tfm_kernel *tfm_register_squeeze(void);
const tfm_kernel *tfm_register_expand_dims(void);
const tfm_kernel *tfm_register_shape(void);
const tfm_kernel *tfm_register_quantize(void);
const tfm_kernel *tfm_register_dequantize(void);
const tfm_kernel *tfm_register_concatenation(void);
const tfm_kernel *tfm_register_split(void);
const tfm_kernel *tfm_register_split_v(void);
const tfm_kernel *tfm_register_pack(void);
const tfm_kernel *tfm_register_unpack(void);
const tfm_kernel *tfm_register_pad(void);
const tfm_kernel *tfm_register_padv2(void);
const tfm_kernel *tfm_register_mean(void);
const tfm_kernel *tfm_register_sum(void);
const tfm_kernel *tfm_register_strided_slice(void);
const tfm_kernel *tfm_register_slice(void);
const tfm_kernel *tfm_register_transpose(void);
const tfm_kernel *tfm_register_gather(void);
const tfm_kernel *tfm_register_resize_nearest_neighbor(void);
const tfm_kernel *tfm_register_resize_bilinear(void);
const tfm_kernel *tfm_register_arg_max(void);
const tfm_kernel *tfm_register_cast(void);
const tfm_kernel *tfm_register_var_handle(void);
const tfm_kernel *tfm_register_read_variable(void);
const tfm_kernel *tfm_register_assign_variable(void);
const tfm_kernel *tfm_register_call_once(void);
const tfm_kernel *tfm_register_if(void);
const tfm_kernel *tfm_register_while(void);
const tfm_kernel *tfm_register_equal(void);
const tfm_kernel *tfm_register_not_equal(void);
const tfm_kernel *tfm_register_greater(void);
const tfm_kernel *tfm_register_greater_equal(void);
const tfm_kernel *tfm_register_less(void);
const tfm_kernel *tfm_register_less_equal(void);
const tfm_kernel *tfm_register_logical_and(void);
const tfm_kernel *tfm_register_logical_or(void);
const tfm_kernel *tfm_register_logical_not(void);
const tfm_kernel *tfm_register_abs(void);
const tfm_kernel *tfm_register_neg(void);
const tfm_kernel *tfm_register_floor(void);
const tfm_kernel *tfm_register_ceil(void);
const tfm_kernel *tfm_register_round(void);
const tfm_kernel *tfm_register_square(void);
const tfm_kernel *tfm_register_sqrt(void);
const tfm_kernel *tfm_register_rsqrt(void);
const tfm_kernel *tfm_register_zeros_like(void);
const tfm_kernel *tfm_register_floor_div(void);
const tfm_kernel *tfm_register_floor_mod(void);
const tfm_kernel *tfm_register_squared_difference(void);
const tfm_kernel *tfm_register_add_n(void);
const tfm_kernel *tfm_register_select_v2(void);
const tfm_kernel *tfm_register_broadcast_to(void);
const tfm_kernel *tfm_register_broadcast_args(void);
const tfm_kernel *tfm_register_fill(void);
const tfm_kernel *tfm_register_reverse_v2(void);
const tfm_kernel *tfm_register_depth_to_space(void);
const tfm_kernel *tfm_register_space_to_depth(void);
const tfm_kernel *tfm_register_mirror_pad(void);
const tfm_kernel *tfm_register_space_to_batch_nd(void);
const tfm_kernel *tfm_register_batch_to_space_nd(void);
const tfm_kernel *tfm_register_gather_nd(void);
const tfm_kernel *tfm_register_embedding_lookup(void);
const tfm_kernel *tfm_register_dynamic_update_slice(void);
const tfm_kernel *tfm_register_cumsum(void);
const tfm_kernel *tfm_register_arg_min(void);
const tfm_kernel *tfm_register_reduce_max(void);
const tfm_kernel *tfm_register_reduce_min(void);
const tfm_kernel *tfm_register_reduce_prod(void);
const tfm_kernel *tfm_register_exp(void);
const tfm_kernel *tfm_register_log(void);
const tfm_kernel *tfm_register_sin(void);
const tfm_kernel *tfm_register_cos(void);
const tfm_kernel *tfm_register_elu(void);
const tfm_kernel *tfm_register_l2_pool_2d(void);
const tfm_kernel *tfm_register_log_softmax(void);
const tfm_kernel *tfm_register_l2_normalization(void);
const tfm_kernel *tfm_register_batch_matmul(void);
const tfm_kernel *tfm_register_gelu(void);
const tfm_kernel *tfm_register_svdf(void);
const tfm_kernel *tfm_register_unidirectional_sequence_lstm(void);

#endif /* TFM_KERNELS_H */
