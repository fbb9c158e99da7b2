/* arm-dsp MAX_POOL_2D: replaces kernels/reference/max_pool_2d.c in kernel set
 * "arm-dsp". Prepare is the shared tfm_pool_prepare; float32 and int16 run the
 * reference eval of common/max_pool_2d.h. int8 runs here: 4
 * channels per step, a byte-wise signed maximum per tap with SSUB8 + SEL (the
 * GE flags), then the activation clamp the same way. Exact: a maximum. */
#include "arm_dsp.h"
#include "common/max_pool_2d.h"
#include "common/ops.h"
#include "tfm/kernels.h"

/* Byte-wise signed max(a, b). One asm statement: SEL reads the GE flags SSUB8 sets. */
static inline uint32_t dsp_max4(uint32_t a, uint32_t b) {
  uint32_t r, t;
  __asm__("ssub8 %1, %2, %3\n\tsel %0, %2, %3" : "=r"(r), "=&r"(t) : "r"(a), "r"(b) : "cc");
  return r;
}

/* Byte-wise signed min(a, b). */
static inline uint32_t dsp_min4(uint32_t a, uint32_t b) {
  uint32_t r, t;
  __asm__("ssub8 %1, %2, %3\n\tsel %0, %3, %2" : "=r"(r), "=&r"(t) : "r"(a), "r"(b) : "cc");
  return r;
}

static inline uint32_t dsp_dup8(int32_t v) { return ((uint32_t)v & 0xFFu) * 0x01010101u; }

static TFM_DSP_HOT void dsp_max_s8(const TfmMaxPool2DData *d, const int8_t *in, int8_t *out) {
  const int32_t depth = d->depth, row = d->in_w * depth;
  const uint32_t lo4 = dsp_dup8(d->act_min), hi4 = dsp_dup8(d->act_max);
  const int8_t lo = (int8_t)d->act_min, hi = (int8_t)d->act_max;
  for (int32_t b = 0; b < d->batches; ++b) {
    const int8_t *in_b = in + b * d->in_h * row;
    for (int32_t oy = 0; oy < d->out_h; ++oy) {
      const int32_t y0 = oy * d->stride_h - d->padding.height;
      int32_t fy0, fy1;
      tfm_pool_tap_range(y0, d->in_h, d->filter_h, &fy0, &fy1);
      for (int32_t ox = 0; ox < d->out_w; ++ox, out += depth) {
        const int32_t x0 = ox * d->stride_w - d->padding.width;
        int32_t fx0, fx1;
        tfm_pool_tap_range(x0, d->in_w, d->filter_w, &fx0, &fx1);
        const int32_t fy_end = fx0 < fx1 ? fy1 : fy0; /* no tap: no pointer past the row */
        int32_t c = 0;
        for (; c + 4 <= depth; c += 4) {
          uint32_t m = 0x80808080u; /* INT8_MIN in every byte */
          for (int32_t fy = fy0; fy < fy_end; ++fy) {
            const int8_t *p = in_b + (y0 + fy) * row + (x0 + fx0) * depth + c;
            for (int32_t fx = fx0; fx < fx1; ++fx, p += depth) {
              m = dsp_max4((uint32_t)dsp_load4(p), m);
            }
          }
          m = dsp_min4(dsp_max4(m, lo4), hi4);
          __builtin_memcpy(out + c, &m, sizeof m);
        }
        for (; c < depth; ++c) {
          int8_t m = INT8_MIN;
          for (int32_t fy = fy0; fy < fy_end; ++fy) {
            const int8_t *p = in_b + (y0 + fy) * row + (x0 + fx0) * depth + c;
            for (int32_t fx = fx0; fx < fx1; ++fx, p += depth) m = *p > m ? *p : m;
          }
          out[c] = m < lo ? lo : (m > hi ? hi : m);
        }
      }
    }
  }
}

static tfm_status dsp_max_pool_eval(tfm_context *ctx, tfm_node *node) {
  const tfm_tensor *in = tfm_input(ctx, node, 0);
  if (in->type != TFM_INT8) return tfm_max_pool_2d_eval_reference(ctx, node);
  tfm_tensor *out = tfm_output(ctx, node, 0);
  dsp_max_s8((const TfmMaxPool2DData *)node->data, (const int8_t *)in->data, (int8_t *)out->data);
  return TFM_OK;
}

const tfm_kernel *tfm_register_max_pool_2d(void) {
  static const tfm_kernel kernel =
      TFM_BUILTIN_KERNEL(MAX_POOL_2D, tfm_max_pool_2d_prepare, dsp_max_pool_eval);
  return &kernel;
}
