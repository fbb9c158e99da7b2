/* DEPTHWISE_CONV_2D shared pieces: prepare and the reference eval (see
 * common/depthwise_conv_2d.h). */
#include "common/depthwise_conv_2d.h"

#include "common/conv_common.h"
#include "internal/quant.h"

/* DepthwiseConv2DOptions vtable offsets (depth_multiplier, at 10, is derived
 * from the shapes as TFLite does). */
enum { OPT_ACTIVATION = 12 };
static const tfm_conv_option_offsets kOptions = {
    .padding = 4, .stride_w = 6, .stride_h = 8, .dilation_w = 14, .dilation_h = 16};

tfm_status tfm_depthwise_conv_2d_prepare(tfm_context *ctx, tfm_node *node) {
  const tfm_tensor *in, *filter, *bias, *out;
  TFM_TRY(tfm_conv_io(ctx, node, &in, &filter, &bias, &out));
  if (filter->dims[0] != 1) {
    return tfm_fail(ctx, TFM_BAD_MODEL, "filter dimension 0 is %ld, expected 1",
                    (long)filter->dims[0]);
  }
  const int32_t out_d = filter->dims[3];
  TFM_TRY(tfm_conv_check_types(ctx, in, filter, bias, out, out_d));
  tfm_conv_data *d;
  TFM_TRY(tfm_conv_alloc(ctx, node, &d));
  d->batches = in->dims[0];
  d->in_h = in->dims[1];
  d->in_w = in->dims[2];
  d->in_d = in->dims[3];
  d->filter_h = filter->dims[1];
  d->filter_w = filter->dims[2];
  d->out_d = out_d;
  if (d->in_d <= 0 || out_d % d->in_d != 0) {
    return tfm_fail(ctx, TFM_BAD_MODEL, "filter channels %ld not a multiple of input channels %ld",
                    (long)out_d, (long)d->in_d);
  }
  d->depth_multiplier = out_d / d->in_d;
  TFM_TRY(tfm_conv_geometry(ctx, node, &kOptions, out, out_d > d->in_d ? out_d : d->in_d, d));
  TFM_TRY(tfm_conv_quant_params(ctx, in, filter, out, tfm_opt_i8(node, OPT_ACTIVATION, 0), out_d,
                                3, d));
  /* One accumulator per output channel of the current pixel. */
  const size_t acc_size = in->type == TFM_INT16 ? sizeof(int64_t) : sizeof(int32_t);
  return tfm_request_scratch(ctx, (size_t)out_d * acc_size, &d->scratch_index);
}

/* The taps of one output pixel are visited in TFLite's order (filter_y,
 * filter_x) but with the channels innermost: every channel accumulates into
 * its own scratch slot, so the inner loop runs over contiguous memory. Each
 * channel still sums its taps in the same order, so float stays exact. */
#define DW_ACCUMULATE(T, W, TAP)                                                          \
  for (int32_t fy = fy0; fy < fy1; ++fy) {                                               \
    const T *in_row = in_b + (y0 + fy * dil_h) * row;                                    \
    const W *f_row = filter + fy * frow;                                                 \
    for (int32_t fx = fx0; fx < fx1; ++fx) {                                             \
      const T *ip = in_row + (x0 + fx * dil_w) * in_d;                                   \
      const W *fp = f_row + fx * out_d;                                                  \
      TAP;                                                                               \
    }                                                                                    \
  }

/* One filter tap for every output channel of a pixel: acc[ic*dm + m] +=
 * w[ic*dm + m] * (x[ic] + x_offset). */
static TFM_NOINLINE void tap_f32(float *acc, const float *x, const float *w, int32_t in_d,
                                 int32_t dm) {
  if (dm == 1) {
    for (int32_t c = 0; c < in_d; ++c) acc[c] += w[c] * x[c];
    return;
  }
  for (int32_t ic = 0; ic < in_d; ++ic) {
    const float xv = x[ic];
    for (int32_t m = 0; m < dm; ++m) *acc++ += *w++ * xv;
  }
}

/* Integer accumulators are unsigned so that their sums wrap (quant.h: hostile
 * weights or bias may overflow them); each product is exact. */
static TFM_NOINLINE void tap_s8(uint32_t *acc, const int8_t *x, const int8_t *w, int32_t in_d,
                                int32_t dm, int32_t x_offset) {
  if (dm == 1) {
    for (int32_t c = 0; c < in_d; ++c) acc[c] += (uint32_t)(w[c] * (x[c] + x_offset));
    return;
  }
  for (int32_t ic = 0; ic < in_d; ++ic) {
    const int32_t xv = x[ic] + x_offset;
    for (int32_t m = 0; m < dm; ++m) *acc++ += (uint32_t)(*w++ * xv);
  }
}

/* 16x8 inputs have zero point 0: no offset. */
static TFM_NOINLINE void tap_s16(uint64_t *acc, const int16_t *x, const int8_t *w, int32_t in_d,
                                 int32_t dm) {
  if (dm == 1) {
    for (int32_t c = 0; c < in_d; ++c) acc[c] += (uint64_t)(int64_t)((int32_t)w[c] * x[c]);
    return;
  }
  for (int32_t ic = 0; ic < in_d; ++ic) {
    const int32_t xv = x[ic];
    for (int32_t m = 0; m < dm; ++m) *acc++ += (uint64_t)(int64_t)((int32_t)*w++ * xv);
  }
}

/* Loops over output pixels; ZERO clears the accumulators, BODY accumulates
 * and STORE writes the out_d outputs of the pixel. The parameters are copied
 * to locals: stores to the accumulators could otherwise alias them. */
#define DW_PIXELS(T, ZERO, BODY, STORE)                                                  \
  const int32_t dm = d->depth_multiplier, in_d = d->in_d, out_d = d->out_d;              \
  const int32_t dil_h = d->dilation_h, dil_w = d->dilation_w;                            \
  const int32_t row = d->in_w * in_d;                                                    \
  const int32_t frow = d->filter_w * out_d;                                              \
  for (int32_t b = 0; b < d->batches; ++b) {                                             \
    const T *in_b = in + b * d->in_h * row;                                              \
    for (int32_t oy = 0; oy < d->out_h; ++oy) {                                          \
      const int32_t y0 = oy * d->stride_h - d->padding.height;                           \
      int32_t fy0, fy1;                                                                  \
      tfm_conv_tap_range(y0, dil_h, d->in_h, d->filter_h, &fy0, &fy1);                   \
      for (int32_t ox = 0; ox < d->out_w; ++ox) {                                        \
        const int32_t x0 = ox * d->stride_w - d->padding.width;                          \
        int32_t fx0, fx1;                                                                \
        tfm_conv_tap_range(x0, dil_w, d->in_w, d->filter_w, &fx0, &fx1);                 \
        for (int32_t oc = 0; oc < out_d; ++oc) ZERO;                                     \
        BODY;                                                                            \
        for (int32_t oc = 0; oc < out_d; ++oc) STORE;                                    \
      }                                                                                  \
    }                                                                                    \
  }

static void dw_f32(const tfm_conv_data *d, const float *in, const float *filter,
                   const float *bias, float *out, float *acc) {
  DW_PIXELS(float, acc[oc] = 0.0f, DW_ACCUMULATE(float, float, tap_f32(acc, ip, fp, in_d, dm)),
            *out++ = tfm_clamp_f32(acc[oc] + (bias ? bias[oc] : 0.0f), d->act_min_f,
                                   d->act_max_f))
}

static int8_t requantize_s8(const tfm_conv_data *d, int32_t acc, int32_t oc) {
  acc = tfm_multiply_by_quantized_multiplier(acc, d->multiplier[oc], d->shift[oc]);
  return (int8_t)tfm_clamp_i32(tfm_add_wrap_i32(acc, d->output_offset), d->act_min, d->act_max);
}

static void dw_s8(const tfm_conv_data *d, const int8_t *in, const int8_t *filter,
                  const int32_t *bias, int8_t *out, uint32_t *acc) {
  const int32_t in_offset = d->input_offset;
  DW_PIXELS(int8_t, acc[oc] = bias ? (uint32_t)bias[oc] : 0u,
            DW_ACCUMULATE(int8_t, int8_t, tap_s8(acc, ip, fp, in_d, dm, in_offset)),
            *out++ = requantize_s8(d, tfm_wrap_i32(acc[oc]), oc))
}

static int16_t requantize_s16(const tfm_conv_data *d, int64_t acc, int32_t oc) {
  const int32_t v = tfm_multiply_by_quantized_multiplier_64(acc, d->multiplier[oc], d->shift[oc]);
  return (int16_t)tfm_clamp_i32(v, d->act_min, d->act_max);
}

static void dw_s16(const tfm_conv_data *d, const int16_t *in, const int8_t *filter,
                   const tfm_tensor *bias, int16_t *out, uint64_t *acc) {
  DW_PIXELS(int16_t, acc[oc] = (uint64_t)tfm_conv_bias_i64(bias, oc),
            DW_ACCUMULATE(int16_t, int8_t, tap_s16(acc, ip, fp, in_d, dm)),
            *out++ = requantize_s16(d, tfm_wrap_i64(acc[oc]), oc))
}

tfm_status tfm_depthwise_conv_2d_eval_reference(tfm_context *ctx, tfm_node *node) {
  const tfm_conv_data *d = (const tfm_conv_data *)node->data;
  const tfm_tensor *in = tfm_input(ctx, node, 0);
  const tfm_tensor *filter = tfm_input(ctx, node, 1);
  const tfm_tensor *bias = node->num_inputs == 3 ? tfm_input(ctx, node, 2) : NULL;
  tfm_tensor *out = tfm_output(ctx, node, 0);
  void *acc = tfm_scratch(ctx, d->scratch_index);
  switch (in->type) {
    case TFM_FLOAT32:
      dw_f32(d, (const float *)in->data, (const float *)filter->data,
             bias ? (const float *)bias->data : NULL, (float *)out->data, (float *)acc);
      return TFM_OK;
    case TFM_INT8:
      dw_s8(d, (const int8_t *)in->data, (const int8_t *)filter->data,
            bias ? (const int32_t *)bias->data : NULL, (int8_t *)out->data, (uint32_t *)acc);
      return TFM_OK;
    case TFM_INT16:
      dw_s16(d, (const int16_t *)in->data, (const int8_t *)filter->data, bias,
             (int16_t *)out->data, (uint64_t *)acc);
      return TFM_OK;
    default:
      return tfm_fail(ctx, TFM_UNSUPPORTED, "input type %s not supported",
                      tfm_type_name((tfm_type)in->type));
  }
}
