/* CONV_2D shared pieces: prepare and the reference eval (see
 * common/conv_2d.h). */
#include "common/conv_2d.h"

#include "common/conv_common.h"
#include "internal/quant.h"

/* Conv2DOptions vtable offsets. */
enum { OPT_ACTIVATION = 10 };
static const tfm_conv_option_offsets kOptions = {
    .padding = 4, .stride_w = 6, .stride_h = 8, .dilation_w = 12, .dilation_h = 14};

tfm_status tfm_conv_2d_prepare(tfm_context *ctx, tfm_node *node) {
  const tfm_tensor *in, *filter, *bias, *out;
  TFM_TRY(tfm_conv_io(ctx, node, &in, &filter, &bias, &out));
  const int32_t out_d = filter->dims[0];
  TFM_TRY(tfm_conv_check_types(ctx, in, filter, bias, out, out_d));
  tfm_conv_data *d;
  TFM_TRY(tfm_conv_alloc(ctx, node, &d));
  d->batches = in->dims[0];
  d->in_h = in->dims[1];
  d->in_w = in->dims[2];
  d->in_d = in->dims[3];
  d->filter_h = filter->dims[1];
  d->filter_w = filter->dims[2];
  d->filter_d = filter->dims[3];
  d->out_d = out_d;
  if (d->filter_d <= 0 || d->in_d % d->filter_d != 0) {
    return tfm_fail(ctx, TFM_BAD_MODEL, "input depth %ld is not a multiple of filter depth %ld",
                    (long)d->in_d, (long)d->filter_d);
  }
  d->groups = d->in_d / d->filter_d;
  if (out_d % d->groups != 0) {
    return tfm_fail(ctx, TFM_BAD_MODEL, "%ld filters do not split into %ld groups",
                    (long)out_d, (long)d->groups);
  }
  TFM_TRY(tfm_conv_geometry(ctx, node, &kOptions, out, d->in_d, d));
  return tfm_conv_quant_params(ctx, in, filter, out, tfm_opt_i8(node, OPT_ACTIVATION, 0), out_d,
                               0, d);
}

/* Dot products over contiguous memory, continuing from `acc` (float keeps
 * TFLite's summation order). */
static TFM_NOINLINE float dot_f32(float acc, const float *x, const float *w, int32_t n) {
  for (int32_t i = 0; i < n; ++i) acc += x[i] * w[i];
  return acc;
}

/* Integer sums wrap (quant.h: hostile weights or bias may overflow them);
 * each product is exact. */
static TFM_NOINLINE int32_t dot_s8(int32_t acc, const int8_t *x, const int8_t *w, int32_t n,
                                   int32_t x_offset) {
  uint32_t sum = (uint32_t)acc;
  for (int32_t i = 0; i < n; ++i) sum += (uint32_t)(w[i] * (x[i] + x_offset));
  return tfm_wrap_i32(sum);
}

static TFM_NOINLINE int64_t dot_s16(int64_t acc, const int16_t *x, const int8_t *w, int32_t n) {
  uint64_t sum = (uint64_t)acc;
  for (int32_t i = 0; i < n; ++i) sum += (uint64_t)(int64_t)((int32_t)w[i] * x[i]);
  return tfm_wrap_i64(sum);
}

/* Visits the output pixels; for each output channel runs DOT over the
 * in-image taps (one call per filter row when the row is contiguous in input
 * and filter: no dilation, no groups), then STORE. */
#define CONV_LOOP(T, W, ACC_T, ACC_INIT, DOT, STORE)                                     \
  const int32_t per_group = d->out_d / d->groups;                                        \
  const int32_t fd = d->filter_d, in_d = d->in_d;                                        \
  const int32_t dil_h = d->dilation_h, dil_w = d->dilation_w;                            \
  const int32_t in_row_step = dil_h * d->in_w * in_d; /* next filter row, input */       \
  const int32_t f_row_step = d->filter_w * fd;        /* next filter row, filter */      \
  const int32_t f_size = d->filter_h * f_row_step;    /* one output channel's filter */  \
  const bool row_contiguous = dil_w == 1 && d->groups == 1;                              \
  for (int32_t b = 0; b < d->batches; ++b) {                                             \
    const T *in_b = in + b * d->in_h * d->in_w * in_d;                                   \
    for (int32_t oy = 0; oy < d->out_h; ++oy) {                                          \
      const int32_t y0 = oy * d->stride_h - d->padding.height;                           \
      int32_t fy0, fy1;                                                                  \
      tfm_conv_tap_range(y0, dil_h, d->in_h, d->filter_h, &fy0, &fy1);                   \
      for (int32_t ox = 0; ox < d->out_w; ++ox) {                                        \
        const int32_t x0 = ox * d->stride_w - d->padding.width;                          \
        int32_t fx0, fx1;                                                                \
        tfm_conv_tap_range(x0, dil_w, d->in_w, d->filter_w, &fx0, &fx1);                 \
        const int32_t row_len = (fx1 - fx0) * fd;                                        \
        /* first in-image tap of the pixel, in input and in filter 0 */                  \
        const T *in_px = in_b + ((y0 + fy0 * dil_h) * d->in_w + x0 + fx0 * dil_w) * in_d; \
        const W *f_tap = filter + fy0 * f_row_step + fx0 * fd;                           \
        for (int32_t oc = 0; oc < d->out_d; ++oc, f_tap += f_size) {                     \
          const T *ip = d->groups == 1 ? in_px : in_px + (oc / per_group) * fd;          \
          const W *fp = f_tap;                                                           \
          ACC_T acc = ACC_INIT;                                                          \
          for (int32_t fy = fy0; fy < fy1; ++fy, ip += in_row_step, fp += f_row_step) {  \
            if (row_contiguous) {                                                        \
              acc = DOT(acc, ip, fp, row_len);                                           \
            } else {                                                                     \
              const T *ipx = ip;                                                         \
              const W *fpx = fp;                                                         \
              for (int32_t fx = fx0; fx < fx1; ++fx, ipx += dil_w * in_d, fpx += fd) {   \
                acc = DOT(acc, ipx, fpx, fd);                                            \
              }                                                                          \
            }                                                                            \
          }                                                                              \
          STORE;                                                                         \
        }                                                                                \
      }                                                                                  \
    }                                                                                    \
  }

static void conv_f32(const tfm_conv_data *d, const float *in, const float *filter,
                     const float *bias, float *out) {
  CONV_LOOP(float, float, float, 0.0f, dot_f32,
            *out++ = tfm_clamp_f32(acc + (bias ? bias[oc] : 0.0f), d->act_min_f, d->act_max_f))
}

static int8_t requantize_s8(const tfm_conv_data *d, int32_t acc, int32_t oc) {
  acc = tfm_multiply_by_quantized_multiplier(acc, d->multiplier[oc], d->shift[oc]);
  return (int8_t)tfm_clamp_i32(tfm_add_wrap_i32(acc, d->output_offset), d->act_min, d->act_max);
}

#define DOT_S8(acc, x, w, n) dot_s8(acc, x, w, n, in_offset)

static void conv_s8(const tfm_conv_data *d, const int8_t *in, const int8_t *filter,
                    const int32_t *bias, int8_t *out) {
  const int32_t in_offset = d->input_offset;
  CONV_LOOP(int8_t, int8_t, int32_t, bias ? bias[oc] : 0, DOT_S8,
            *out++ = requantize_s8(d, acc, oc))
}

static int16_t requantize_s16(const tfm_conv_data *d, int64_t acc, int32_t oc) {
  const int32_t v = tfm_multiply_by_quantized_multiplier_64(acc, d->multiplier[oc], d->shift[oc]);
  return (int16_t)tfm_clamp_i32(v, d->act_min, d->act_max);
}

static void conv_s16(const tfm_conv_data *d, const int16_t *in, const int8_t *filter,
                     const tfm_tensor *bias, int16_t *out) {
  CONV_LOOP(int16_t, int8_t, int64_t, tfm_conv_bias_i64(bias, oc), dot_s16,
            *out++ = requantize_s16(d, acc, oc))
}

tfm_status tfm_conv_2d_eval_reference(tfm_context *ctx, tfm_node *node) {
  const tfm_conv_data *d = (const tfm_conv_data *)node->data;
  const tfm_tensor *in = tfm_input(ctx, node, 0);
  const tfm_tensor *filter = tfm_input(ctx, node, 1);
  const tfm_tensor *bias = node->num_inputs == 3 ? tfm_input(ctx, node, 2) : NULL;
  tfm_tensor *out = tfm_output(ctx, node, 0);
  switch (in->type) {
    case TFM_FLOAT32:
      conv_f32(d, (const float *)in->data, (const float *)filter->data,
               bias ? (const float *)bias->data : NULL, (float *)out->data);
      return TFM_OK;
    case TFM_INT8:
      conv_s8(d, (const int8_t *)in->data, (const int8_t *)filter->data,
              bias ? (const int32_t *)bias->data : NULL, (int8_t *)out->data);
      return TFM_OK;
    case TFM_INT16:
      conv_s16(d, (const int16_t *)in->data, (const int8_t *)filter->data, bias,
               (int16_t *)out->data);
      return TFM_OK;
    default:
      return tfm_fail(ctx, TFM_UNSUPPORTED, "input type %s not supported",
                      tfm_type_name((tfm_type)in->type));
  }
}
